"""A fourth source, zefiro, added end to end by its registry entry alone.

A copy of config/providers.yml gets zefiro's entry (sample/zefiro.py's
REGISTRY_ENTRY: its own state names, its own column names, Excel `.xlsx`
orders, CSV activations and invoices) and nothing else: no model, no code.
The generator lands a small sample with zefiro in it, a night runs in
process on that registry (BACKOFFICE_REGISTRY), and every exception the
night publishes for zefiro equals the generator's ledger, row for row and to
the cent, for every control: all fourteen exception types apply to a provider
with orders, activations and invoices, and the sample makes each of them for
zefiro (the one catalogue scenario left out, a line billed by another
provider, needs two providers and is covered by alfa and nuvola).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from backoffice import pipeline, publish
from backoffice.registry import load_registry
from backoffice.sample import generate_landing_zone, zefiro
from backoffice.sample.ledger import COLUMNS, LedgerRow
from backoffice.settings import PROJECT_DIR, Settings

NIGHTS = (date(2026, 3, 9),)  # one night keeps the test short; it holds every type
EXCEPTION_TYPES = {
    "ORDER_NOT_SUBMITTED", "ORDER_STUCK", "ORDER_REJECTED", "ORDER_ENTRY_MISMATCH",
    "DUPLICATE_CHARGE", "BILLED_NOT_ACTIVE", "BILLED_BEFORE_ACTIVATION",
    "BILLED_AFTER_CANCELLATION", "PRICE_MISMATCH", "QUANTITY_MISMATCH", "PRORATA_ERROR",
    "VAT_ERROR", "ACTIVE_NOT_BILLED", "UNMATCHED_CREDIT",
}  # fmt: skip


class FourthProvider:
    def __init__(self, root: Path) -> None:
        original = (PROJECT_DIR / "config" / "providers.yml").read_text(encoding="utf-8")
        self.registry = root / "providers.yml"
        self.registry.write_text(original.rstrip("\n") + "\n\n" + zefiro.REGISTRY_ENTRY, "utf-8")
        self.original = original
        self.sample = generate_landing_zone(
            root / "landing", root / "expected_exceptions.csv", seed=5, order_lines=12,
            as_of_dates=NIGHTS, fourth_provider_lines=90,
        )  # fmt: skip
        self.settings = Settings.from_env(
            {
                "BACKOFFICE_LANDING_DIR": str(root / "landing"),
                "BACKOFFICE_DATA_DIR": str(root / "data"),
                "BACKOFFICE_REGISTRY": str(self.registry),
                "BACKOFFICE_AUDIT_DOCS": "0",  # dbt docs are not what this test is about
            }
        )
        self.published: dict[date, list[LedgerRow]] = {}
        self.landed: dict[date, list[tuple]] = {}
        for as_of in NIGHTS:
            pipeline.run_night(self.settings, as_of)
            path = publish.current_publication(self.settings)
            with duckdb.connect(str(path), read_only=True) as con:
                self.published[as_of] = _rows(con)
                self.landed[as_of] = con.execute(
                    "select feed, status, count(*), sum(rows_loaded), sum(rows_quarantined) "
                    "from raw.landed_files where source = 'zefiro' group by all order by all"
                ).fetchall()
                self.unmapped = con.execute(
                    "select distinct provider_state from marts.unmapped_provider_states "
                    "where provider = 'zefiro'"
                ).fetchall()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rows(con) -> list[LedgerRow]:
    """marts.exceptions read back as ledger rows (the ledger's columns and conventions)."""
    out = []
    for row in con.execute(f"select {', '.join(COLUMNS)} from marts.exceptions").fetchall():
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
def fourth(tmp_path_factory) -> FourthProvider:
    return FourthProvider(tmp_path_factory.mktemp("fourth-provider"))


def test_the_registry_change_is_the_only_change(fourth):
    text = fourth.registry.read_text(encoding="utf-8")
    assert text.startswith(fourth.original.rstrip("\n"))
    registry = load_registry(fourth.registry)
    feeds = [f for s, f in registry.feeds() if s == "zefiro"]
    assert feeds == ["orders", "activations", "invoices"]
    assert registry.feed("zefiro", "orders").format == "xlsx"


@pytest.mark.parametrize("as_of", NIGHTS)
def test_zefiro_exceptions_are_exactly_the_ledger(fourth, as_of):
    def keyed(rows: list[LedgerRow]) -> dict[tuple, list[str]]:
        return {r.identity: r.values() for r in rows if r.provider == zefiro.NAME}

    expected = keyed(fourth.sample.ledger_for(as_of))
    published = keyed(fourth.published[as_of])
    missing = sorted(set(expected) - set(published))
    unexpected = sorted(set(published) - set(expected))
    different = [
        (expected[k], published[k])
        for k in sorted(set(expected) & set(published))
        if expected[k] != published[k]
    ]
    assert (missing, unexpected, different) == ([], [], [])
    assert len(expected) > 20


def test_every_control_applies_to_zefiro(fourth):
    rows = [r for night in fourth.published.values() for r in night]
    found = {r.exception_type for r in rows if r.provider == zefiro.NAME}
    assert found == EXCEPTION_TYPES


def test_the_excel_orders_load_like_any_feed(fourth):
    landed = {
        (feed, status): (files, loaded, quarantined)
        for feed, status, files, loaded, quarantined in fourth.landed[NIGHTS[-1]]
    }
    orders = fourth.sample.feeds[("zefiro", "orders")]
    assert landed[("orders", "loaded")] == (orders.files, orders.warehouse_rows, 0)
    assert {feed for feed, _ in landed} == {"orders", "activations", "invoices"}
    assert all(status == "loaded" for _, status in landed)
    unmapped = {u.state for u in fourth.sample.unmapped_states if u.provider == "zefiro"}
    assert {state for (state,) in fourth.unmapped} == unmapped
