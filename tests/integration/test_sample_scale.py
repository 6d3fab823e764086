"""At scale, the warehouse finds exactly the generator's ledger, run after run.

A generated landing zone of 3,000 order lines (about eight months of orders,
activations, invoices and credit notes, the whole defect catalogue and its edge
cases), four successive runs on one warehouse file with the real ingest and the real
dbt project: Thursday 24 December 2026 and the next business day, Monday 28
(Christmas on the Friday, then the weekend); Friday 26 March 2027 and the next
business day, Tuesday 30 (the weekend, then Easter Monday). After each run
`marts.exceptions` equals the ledger for that date, row for row and figure for
figure, and every labelled edge case is there as labelled (a line at its SLA absent,
present one business day later).

Runtime is kept down by building only the exceptions mart and what it reads
(`+exceptions`, with the tests that only read those), and by running the tests (data
and unit tests) on the last run only.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from backoffice.dbt_runner import run_dbt
from backoffice.ingest import ingest_feed
from backoffice.registry import load_registry
from backoffice.sample import GeneratedSample, LedgerRow, generate_landing_zone
from backoffice.sample.edges import disagreement
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
ORDER_LINES = 3000
AS_OF = (date(2026, 12, 24), date(2026, 12, 28), date(2027, 3, 26), date(2027, 3, 30))
SELECT = "+exceptions"
COLUMNS = ("as_of", "exception_type", "status", "provider", "customer_vat", "order_id",
           "order_line_id", "invoice_number", "invoice_line", "period_month", "detected_on",
           "amount_eur", "credited_eur", "source_file", "source_row")  # fmt: skip


class Scale:
    def __init__(self, sample: GeneratedSample) -> None:
        self.sample = sample
        self.published: dict[date, list[LedgerRow]] = {}
        self.seconds: dict[str, float] = {}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _published(warehouse: Path) -> list[LedgerRow]:
    """marts.exceptions read back as ledger rows (the same columns and conventions)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(f"select {', '.join(COLUMNS)} from marts.exceptions").fetchall()
    finally:
        con.close()
    out = []
    for row in rows:
        v = dict(zip(COLUMNS, (_text(x) for x in row), strict=True))
        out.append(LedgerRow(**{
            **v,
            "as_of": date.fromisoformat(v["as_of"]),
            "detected_on": date.fromisoformat(v["detected_on"]),
            "amount_eur": Decimal(v["amount_eur"]),
            "credited_eur": Decimal(v["credited_eur"]),
        }))  # fmt: skip
    return out


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> Scale:
    root = tmp_path_factory.mktemp("scale")
    started = time.monotonic()
    sample = generate_landing_zone(
        root / "landing", root / "expected_exceptions.csv", seed=23,
        order_lines=ORDER_LINES, as_of_dates=AS_OF,
    )  # fmt: skip
    out = Scale(sample)
    out.seconds["generate"] = time.monotonic() - started
    settings = Settings(project_dir=REPO, landing_dir=root / "landing", data_dir=root / "data")
    feeds = load_registry(settings.registry_path).feeds()
    warehouse = root / "warehouse.duckdb"
    for as_of in AS_OF:
        started = time.monotonic()
        for source, feed in feeds:
            ingest_feed(settings, source, feed, as_of, warehouse=warehouse)
        out.seconds[f"ingest {as_of}"] = time.monotonic() - started
        started = time.monotonic()
        if as_of == AS_OF[0]:
            run_dbt(settings, "seed", warehouse=warehouse)
        # dbt parses once: later runs reuse the parse (the as-of date is read at run time).
        command = "build" if as_of == AS_OF[-1] else "run"  # the tests once, on the last run
        run_dbt(
            settings, command, "--select", SELECT, "--indirect-selection", "cautious",
            as_of=as_of, warehouse=warehouse,
        )  # fmt: skip
        out.seconds[f"dbt {command} {as_of}"] = time.monotonic() - started
        out.published[as_of] = _published(warehouse)
    print("\nscale test seconds:", {k: round(v, 1) for k, v in out.seconds.items()})
    return out


def test_the_sample_is_at_scale(scale: Scale) -> None:
    sample = scale.sample
    assert sample.order_lines == ORDER_LINES
    assert (
        sample.feeds[("alfa", "invoices")].records + sample.feeds[("nuvola", "invoices")].records
        > 6_000
    )
    assert len({u.scenario.split(":")[0] for u in sample.units}) >= 35
    assert len(sample.edge_cases) > 100


@pytest.mark.parametrize("as_of", AS_OF)
def test_exceptions_are_exactly_the_ledger(scale: Scale, as_of: date) -> None:
    def keyed(rows: list[LedgerRow]) -> dict[tuple, list[str]]:
        out: dict[tuple, list[str]] = {}
        for row in rows:
            assert row.identity not in out, f"two exceptions with one identity: {row.identity}"
            out[row.identity] = row.values()
        return out

    expected = keyed(scale.sample.ledger_for(as_of))
    published = keyed(scale.published[as_of])
    missing = sorted(set(expected) - set(published))
    unexpected = sorted(set(published) - set(expected))
    different = [
        (
            dict(zip(COLUMNS, expected[k], strict=True)),
            dict(zip(COLUMNS, published[k], strict=True)),
        )
        for k in sorted(set(expected) & set(published))
        if expected[k] != published[k]
    ]
    assert (missing, unexpected, different) == ([], [], [])
    assert len(expected) > 50


@pytest.mark.parametrize("as_of", AS_OF)
def test_every_edge_case_is_published_as_labelled(scale: Scale, as_of: date) -> None:
    cases = [c for c in scale.sample.edge_cases if c.as_of == as_of]
    assert cases
    problems = [(c, disagreement(c, scale.published[as_of])) for c in cases]
    assert [p for p in problems if p[1]] == []
