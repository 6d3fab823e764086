"""How fast the work queue answers on 100,000 cases: a benchmark, not a test.

    .venv/bin/python -m backoffice.review.bench [--cases 100000] [--dir /tmp/queue-bench]

Fills a case store (SQLite, as on one machine; or BACKOFFICE_CASES_URL) with synthetic
cases spread like the back office's (types, providers, 2,000 customers, statuses,
assignees, amounts of either sign), then times, for several filters, the store's query
(one page of 50 plus the filter's totals) and the whole queue page through the app
(FastAPI route, store, template), for page 1 and page 500 (keyset paging: page 500 is one
query, like page 1). Prints a table of medians over a few runs. Target: < 300 ms.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from backoffice import published
from backoffice.settings import Settings

PROVIDERS = ("alfa", "nuvola", "cirrus")
ASSIGNEES = (None, "anna", "marco", "giulia", "paolo", "lucia")
STATUSES = ("new", "in_progress", "waiting_provider", "waiting_customer", "closed")
OWNER = {t: "provider_billing" for t in published.EXCEPTION_TYPES}
OWNER.update(
    ORDER_NOT_SUBMITTED="back_office",
    ORDER_ENTRY_MISMATCH="back_office",
    ORDER_REJECTED="back_office",
    ORDER_STUCK="customer_care",
)
RUNS = 5
PAGE = 50


def fill(settings: Settings, count: int, seed: int = 7) -> None:
    """Write `count` synthetic cases straight into the store's table, in batches."""
    from backoffice.cases.schema import cases
    from backoffice.cases.store import CaseStore

    rng = random.Random(seed)
    start = date(2025, 1, 6)
    now = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)
    with CaseStore.open(settings) as store:
        batch: list[dict] = []
        for n in range(count):
            kind = rng.choice(published.EXCEPTION_TYPES)
            detected = start + timedelta(days=rng.randrange(430))
            amount = Decimal(rng.randrange(-60000, 90000)) / 100
            status = rng.choices(STATUSES, weights=(30, 20, 15, 5, 30))[0]
            batch.append(
                {
                    "exception_id": f"EX-{n:016x}",
                    "status": status,
                    "assignee": rng.choice(ASSIGNEES),
                    "due_date": detected + timedelta(days=rng.randrange(2, 20)),
                    "root_cause": "provider_delay" if status == "closed" else None,
                    "credit_expected_eur": None,
                    "credit_received_eur": None,
                    "opened_at": now,
                    "updated_at": now,
                    "closed_at": now if status == "closed" else None,
                    "closed_by": "anna" if status == "closed" else None,
                    "exception_type": kind,
                    "exception_status": rng.choices(("open", "credited", "resolved"), (8, 1, 1))[0],
                    "provider": rng.choice(PROVIDERS),
                    "customer_vat": f"IT{rng.randrange(2000):011d}",
                    "customer_name": f"Customer {rng.randrange(2000)} S.r.l.",
                    "order_id": f"SO-{n:08d}",
                    "order_line_id": f"SO-{n:08d}-01",
                    "invoice_number": f"FA-{n:07d}",
                    "invoice_line": rng.randrange(1, 9),
                    "period_month": None,
                    "as_of": date(2026, 3, 9),
                    "detected_on": detected,
                    "age_business_days": rng.randrange(0, 120),
                    "amount_eur": amount,
                    "credited_eur": Decimal("0.00"),
                    "severity": rng.choice(("high", "medium", "low")),
                    "owner": OWNER[kind],
                    "evidence": f"billed {abs(amount)}, expected {abs(amount) / 2:.2f}: "
                    f"unit price {rng.randrange(5, 80)}.00 vs contracted 10.00",
                    "source_file": f"alfa/invoices/2026-02-03/IT{n:011d}_0000J.xml",
                    "source_row": f"1/{rng.randrange(1, 9)}",
                    "synced_as_of": date(2026, 3, 9),
                }
            )
            if len(batch) == 5000:
                with store.write_transaction() as conn:
                    conn.execute(cases.insert(), batch)
                batch = []
        if batch:
            with store.write_transaction() as conn:
                conn.execute(cases.insert(), batch)


SCENARIOS = (
    ("everything, newest first", {}, "detected_on"),
    (
        "billing owner, open statuses",
        {"owner": ("provider_billing",), "status": ("new", "in_progress", "waiting_provider")},
        "amount_eur",
    ),
    ("assignee marco, by amount", {"assignee": ("marco",)}, "amount_eur"),
    ("high severity, overdue", {"severity": ("high",), "overdue": True}, "age_business_days"),
    ("free text 'unit price 42'", {"text": "unit price 42"}, "detected_on"),
    ("one customer", {"customer_vat": "IT00000000042"}, "detected_on"),
)


def _median_ms(action) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `action` over RUNS runs.

    CPU time is what the query costs this process; on a busy machine the wall time adds the
    wait for a core, so both are printed (on a quiet machine they agree).
    """
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _query_string(fields: dict, sort: str, after: str | None) -> dict:
    names = {"exception_type": "type", "customer_vat": "customer", "text": "q"}
    params: dict = {"sort": sort}
    for field, value in fields.items():
        name = names.get(field, field)
        params[name] = (
            ["1"] if value is True else list(value) if isinstance(value, tuple) else value
        )
    if after:
        params["after"] = after
    return params


def run(settings: Settings, out=print) -> list[tuple]:
    from fastapi.testclient import TestClient

    from backoffice.cases.store import CaseFilter, CaseStore
    from backoffice.review.app import create_app
    from backoffice.review.auth import Viewer, viewer

    app = create_app(settings)
    # The benchmark measures the queue, not Airflow's JWT check (about a millisecond).
    app.dependency_overrides[viewer] = lambda: Viewer("anna", "back_office", True)
    client = TestClient(app)
    today = date(2026, 3, 9)
    results = []
    with CaseStore.open(settings) as store:
        for label, fields, sort in SCENARIOS:
            flt = CaseFilter(**fields, today=today)
            first = store.query(flt, sort=sort, limit=PAGE)
            page = min(500, max(1, -(-first.total_count // PAGE)))  # page 500, or the last
            after = None
            if page > 1:
                after = store.query(flt, sort=sort, limit=PAGE * (page - 1)).next_cursor
            store_1 = _median_ms(lambda f=flt, s=sort: store.query(f, sort=s, limit=PAGE))
            store_n = _median_ms(
                lambda f=flt, s=sort, a=after: store.query(f, sort=s, after=a, limit=PAGE)
            )
            params_1 = _query_string(fields, sort, None)
            params_n = _query_string(fields, sort, after)
            http_1 = _median_ms(lambda p=params_1: client.get("/", params=p).raise_for_status())
            http_n = _median_ms(lambda p=params_n: client.get("/", params=p).raise_for_status())
            results.append((label, first.total_count, page, store_1, store_n, http_1, http_n))
    out(f"{'filter':<32} {'cases':>7} {'page':>5} {'store p1':>13} {'store pN':>13} "
        f"{'page p1':>13} {'page pN':>13}")  # fmt: skip
    out(f"{'':<46}" + "   wall/cpu ms" * 4 + f"   (median of {RUNS})")
    for label, total, page, *timings in results:
        cells = " ".join(f"{w:>7.0f}/{c:<5.0f}" for w, c in timings)
        out(f"{label:<32} {total:>7} {page:>5} {cells}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None, help="where the store goes (a tmp dir)")
    args = parser.parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="queue-bench-"))
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(folder)})
    store_file = folder / "cases" / "cases.sqlite"
    if not store_file.exists():
        began = time.perf_counter()
        fill(settings, args.cases)
        print(f"filled {args.cases} cases in {time.perf_counter() - began:.1f} s ({folder})")
    run(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
