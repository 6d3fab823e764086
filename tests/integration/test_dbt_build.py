"""dbt builds the exceptions of RULES.md from a small hand-made raw warehouse.

The fixture has one CRM line per must-have control and one clean line, with
dates chosen so that every age is unambiguous. Rows delivered after the first
as_of are already in the warehouse: the first run must not see them.

Beyond those: ACTIVE_NOT_BILLED, VAT_ERROR, a credit note that settles an exception, one
that settles part of another and one that matches nothing; then the balances and KPIs.

Calendar (2026): Mon 2 Mar, Fri 6 Mar, Mon 9 Mar, Mon 16 Mar, Fri 20 Mar
(the first as_of), Mon 23 Mar, Fri 27 Mar (the second as_of).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from support.output_md import OUTPUT_MD_COLUMNS

from backoffice.dbt_runner import run_dbt
from backoffice.feeds.health import record_feed_schedule
from backoffice.registry import load_registry
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
RAW_SCHEMA = REPO / "src" / "backoffice" / "warehouse" / "raw_schema.sql"

FIRST_AS_OF = "2026-03-20"
SECOND_AS_OF = "2026-03-27"

CRM_FILE = "crm/signed_orders/2026-03-16/signed_orders_20260316.csv"
ALFA_ORDERS = "alfa/orders/2026-03-16/orders_20260316.ndjson"
ALFA_EVENTS = "alfa/activations/2026-03-16/activations_20260316.ndjson"
NUVOLA_ORDERS = "nuvola/orders/2026-03-16/ordini_20260316.csv"
NUVOLA_ORDERS_LATE = "nuvola/orders/2026-03-23/ordini_20260323.csv"
NUVOLA_EVENTS = "nuvola/activations/2026-03-16/attivazioni_20260316.csv"
NUVOLA_EVENTS_LATE = "nuvola/activations/2026-03-24/attivazioni_20260324.csv"
ALFA_INVOICE_1 = "alfa/invoices/2026-03-02/IT01234567890_00001.xml"
ALFA_INVOICE_2 = "alfa/invoices/2026-03-02/IT01234567890_00002.xml"
ALFA_INVOICE_3 = "alfa/invoices/2026-03-02/IT01234567890_00003.xml"
NUVOLA_INVOICES = "nuvola/invoices/2026-03-16/fatture_20260316.csv"
NUVOLA_CREDIT_NOTES = "nuvola/invoices/2026-03-25/fatture_20260325.csv"
ALFA_CREDIT_NOTE = "alfa/invoices/2026-03-25/IT01234567890_00004.xml"

# fmt: off
D16 = "2026-03-16"  # the first deliveries

STATE_MAP = [
    ("alfa", "acknowledged", "ACKNOWLEDGED"),
    ("alfa", "inProgress", "IN_PROGRESS"),
    ("alfa", "pending", "HELD"),
    ("alfa", "held", "HELD"),
    ("alfa", "rejected", "REJECTED"),
    ("alfa", "failed", "REJECTED"),
    ("alfa", "completed", "ACTIVE"),
    ("alfa", "cancelled", "TERMINATED"),
    ("nuvola", "INSERITO", "ACKNOWLEDGED"),
    ("nuvola", "IN_LAVORAZIONE", "IN_PROGRESS"),
    ("nuvola", "SOSPESO", "HELD"),
    ("nuvola", "RIFIUTATO", "REJECTED"),
    ("nuvola", "ATTIVO", "ACTIVE"),
    ("nuvola", "CESSATO", "TERMINATED"),
]

CUSTOMER = "IT01234567890"

# order_line_id, provider, sku, quantity, unit_price, signed_date, data row
CRM_LINES = [
    ("SO-1-01", "alfa", "ALFA-FIBER", 1, "28.00", "2026-02-02", 1),  # clean
    ("SO-2-01", "nuvola", "NV-VM-S", 1, "40.00", D16, 2),  # ORDER_NOT_SUBMITTED
    ("SO-3-01", "alfa", "ALFA-FIBER", 1, "28.00", "2026-02-27", 3),  # ORDER_STUCK
    ("SO-4-01", "nuvola", "NV-VM-M", 2, "55.00", "2026-03-06", 4),  # ORDER_REJECTED
    ("SO-5-01", "alfa", "ALFA-SIP", 2, "10.00", "2026-02-27", 5),  # ORDER_ENTRY_MISMATCH
    ("SO-6-01", "nuvola", "NV-BACKUP", 1, "30.00", "2026-02-27", 6),  # BILLED_NOT_ACTIVE
    ("SO-7-01", "alfa", "ALFA-MPLS", 1, "100.00", "2026-01-23", 7),  # PRICE_MISMATCH
    ("SO-8-01", "alfa", "ALFA-SIP", 1, "31.00", "2026-01-08", 8),  # ACTIVE_NOT_BILLED, VAT_ERROR
]

# provider, provider_order_id, order_line_id, sku, qty, price, submitted_at, file, row, delivered
PROVIDER_ORDERS = [
    ("alfa", "A-100", "SO-1-01", "ALFA-FIBER", 1, "28.00", "2026-02-03 10:00:00+01", ALFA_ORDERS, 1,
     D16),
    ("alfa", "A-300", "SO-3-01", "ALFA-FIBER", 1, "28.00", "2026-03-02 10:00:00+01", ALFA_ORDERS, 2,
     D16),
    ("nuvola", "N-400", "SO-4-01", "NV-VM-M", 2, "55.00", "2026-03-09 10:00:00+01",
     NUVOLA_ORDERS, 1, D16),
    ("alfa", "A-500", "SO-5-01", "ALFA-SIP", 2, "10.00", "2026-03-02 11:00:00+01", ALFA_ORDERS, 3,
     D16),
    # the resubmission after the rejection, entered with the wrong price
    ("alfa", "A-501", "SO-5-01", "ALFA-SIP", 2, "12.50", "2026-03-04 11:00:00+01", ALFA_ORDERS, 4,
     D16),
    ("nuvola", "N-600", "SO-6-01", "NV-BACKUP", 1, "30.00", "2026-03-02 09:00:00+01",
     NUVOLA_ORDERS, 2, D16),
    ("alfa", "A-700", "SO-7-01", "ALFA-MPLS", 1, "100.00", "2026-01-26 09:00:00+01", ALFA_ORDERS, 5,
     D16),
    ("alfa", "A-800", "SO-8-01", "ALFA-SIP", 1, "31.00", "2026-01-09 09:00:00+01", ALFA_ORDERS, 6,
     D16),
    # delivered after the first as_of: SO-2-01 is submitted on Monday 23 March
    ("nuvola", "N-200", "SO-2-01", "NV-VM-S", 1, "40.00", "2026-03-23 09:00:00+01",
     NUVOLA_ORDERS_LATE, 1, "2026-03-23"),
]

# provider, event_id, order_line_id, provider_state, state_at, file, row, delivered
ORDER_EVENTS = [
    ("alfa", "E-1", "SO-1-01", "acknowledged", "2026-02-04 10:00:00+01", ALFA_EVENTS, 1, D16),
    ("alfa", "E-2", "SO-1-01", "completed", "2026-02-10 10:00:00+01", ALFA_EVENTS, 2, D16),
    # a state Alfa never documented: kept and reported, not part of the timeline
    ("alfa", "E-3", "SO-1-01", "onHoldByCustomer", "2026-03-18 10:00:00+01", ALFA_EVENTS, 3,
     D16),
    ("alfa", "E-4", "SO-3-01", "acknowledged", "2026-03-03 09:00:00+01", ALFA_EVENTS, 4, D16),
    ("alfa", "E-5", "SO-5-01", "rejected", "2026-03-03 09:00:00+01", ALFA_EVENTS, 5, D16),
    ("alfa", "E-6", "SO-5-01", "completed", "2026-03-05 09:00:00+01", ALFA_EVENTS, 6, D16),
    ("alfa", "E-7", "SO-7-01", "completed", "2026-02-01 09:00:00+01", ALFA_EVENTS, 7, D16),
    ("alfa", "E-8", "SO-8-01", "completed", "2026-01-15 09:00:00+01", ALFA_EVENTS, 8, D16),
    ("nuvola", "NE-1", "SO-4-01", "INSERITO", "2026-03-09 15:00:00+01", NUVOLA_EVENTS, 1,
     D16),
    ("nuvola", "NE-2", "SO-4-01", "RIFIUTATO", "2026-03-10 12:00:00+01", NUVOLA_EVENTS, 2,
     D16),
    ("nuvola", "NE-3", "SO-6-01", "IN_LAVORAZIONE", "2026-03-16 12:00:00+01", NUVOLA_EVENTS, 3,
     D16),
    # delivered after the first as_of
    ("nuvola", "NE-4", "SO-2-01", "INSERITO", "2026-03-24 09:00:00+01", NUVOLA_EVENTS_LATE, 1,
     "2026-03-24"),
]

# provider, invoice, type, date, related, line, order_line_id, sku, qty, start, end, unit, net,
# rate, vat, file, row, delivered
INVOICE_LINES = [
    ("alfa", "A/2026/1", "TD01", "2026-03-01", None, 1, "SO-1-01", "ALFA-FIBER", 1, "2026-02-10",
     "2026-02-28", "28.00", "19.00", "22.00", None, ALFA_INVOICE_1, "1/1", "2026-03-02"),
    ("alfa", "A/2026/2", "TD01", "2026-03-01", None, 1, "SO-7-01", "ALFA-MPLS", 1, "2026-02-01",
     "2026-02-28", "120.00", "120.00", "22.00", None, ALFA_INVOICE_2, "1/1", "2026-03-02"),
    # February billed, January (from the activation on 15 January) never was
    ("alfa", "A/2026/3", "TD01", "2026-03-01", None, 1, "SO-8-01", "ALFA-SIP", 1, "2026-02-01",
     "2026-02-28", "31.00", "31.00", "22.00", None, ALFA_INVOICE_3, "1/1", "2026-03-02"),
    ("nuvola", "FT-2026-0001", "TD01", "2026-03-15", None, 1, "SO-6-01", "NV-BACKUP", 1,
     "2026-03-01", "2026-03-31", "30.00", "30.00", "22.00", "6.60", NUVOLA_INVOICES, "1",
     D16),
    ("nuvola", "FT-2026-0001", "TD01", "2026-03-15", None, 2, "SO-9-01", "NV-VM-S", 1,
     "2026-03-01", "2026-03-31", "15.50", "15.50", "22.00", "3.41", NUVOLA_INVOICES, "2",
     D16),
    # delivered after the first as_of: a credit note crediting the BILLED_NOT_ACTIVE of
    # SO-6-01 in full, and a line that credits nothing found
    ("nuvola", "NC-2026-0001", "TD04", "2026-03-25", "FT-2026-0001", 1, "SO-6-01", "NV-BACKUP", 1,
     "2026-03-01", "2026-03-31", "30.00", "30.00", "22.00", "6.60", NUVOLA_CREDIT_NOTES, "1",
     "2026-03-25"),
    ("nuvola", "NC-2026-0001", "TD04", "2026-03-25", "FT-2026-0001", 2, "SO-1-01", "NV-VM-S", 1,
     "2026-03-01", "2026-03-31", "5.00", "5.00", "22.00", "1.10", NUVOLA_CREDIT_NOTES, "2",
     "2026-03-25"),
    # delivered after the first as_of: Alfa credits 5.00 of the 20.00 PRICE_MISMATCH of SO-7-01
    ("alfa", "A/2026/NC1", "TD04", "2026-03-25", "A/2026/2", 1, "SO-7-01", "ALFA-MPLS", 1,
     "2026-02-01", "2026-02-28", "5.00", "5.00", "22.00", None, ALFA_CREDIT_NOTE, "1/1",
     "2026-03-25"),
]

# provider, invoice, date, rate, taxable, vat, file, row, delivered
VAT_SUMMARIES = [
    ("alfa", "A/2026/1", "2026-03-01", "22.00", "19.00", "4.18", ALFA_INVOICE_1, "1/R1",
     "2026-03-02"),
    ("alfa", "A/2026/2", "2026-03-01", "22.00", "120.00", "26.40", ALFA_INVOICE_2, "1/R1",
     "2026-03-02"),
    # 22% of 31.00 is 6.82
    ("alfa", "A/2026/3", "2026-03-01", "22.00", "31.00", "7.00", ALFA_INVOICE_3, "1/R1",
     "2026-03-02"),
]

# fmt: on

LOADED_AT = "2026-03-24 23:00:00+00"


def _build_raw_warehouse(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(RAW_SCHEMA.read_text(encoding="utf-8"))
        # what the night's begin_run also writes: the registry's feeds and their rhythm
        record_feed_schedule(con, load_registry(REPO / "config" / "providers.yml"))
        con.executemany("insert into raw.state_map values (?, ?, ?)", STATE_MAP)
        for line_id, provider, sku, qty, price, signed, row in CRM_LINES:
            con.execute(
                "insert into raw.crm_signed_orders values (?, ?, ?, 'Cliente, Srl', ?, ?, 'x',"
                " ?, ?, 22.00, ?, 'signed', null, ?, ?, ?, 'sha-crm', 'load-1', '2026-03-16', ?)",
                [
                    line_id[:4],
                    line_id,
                    CUSTOMER,
                    provider,
                    sku,
                    qty,
                    price,
                    signed,
                    f"{signed} 12:00:00+00",
                    CRM_FILE,
                    str(row),
                    LOADED_AT,
                ],
            )
        for prov, po, line_id, sku, qty, price, at, file, row, delivered in PROVIDER_ORDERS:
            con.execute(
                "insert into raw.provider_orders values (?, null, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " 'sha', 'load-1', ?, ?)",
                [
                    prov,
                    po,
                    line_id[:4],
                    line_id,
                    sku,
                    qty,
                    price,
                    at,
                    file,
                    str(row),
                    delivered,
                    LOADED_AT,
                ],
            )
        for prov, event_id, line_id, state, at, file, row, delivered in ORDER_EVENTS:
            con.execute(
                "insert into raw.provider_order_events values (?, ?, null, ?, ?, ?, null, ?, ?,"
                " 'sha', 'load-1', ?, ?)",
                [prov, event_id, line_id, state, at, file, str(row), delivered, LOADED_AT],
            )
        for (
            prov,
            number,
            doc_type,
            date,
            related,
            line,
            line_id,
            sku,
            qty,
            start,
            end,
            unit,
            net,
            rate,
            vat,
            file,
            row,
            delivered,
        ) in INVOICE_LINES:
            con.execute(
                "insert into raw.invoice_lines values (?, ?, ?, ?, ?, ?, 'EUR', 1, ?, ?, ?,"
                " 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sha', 'load-1', ?, ?)",
                [
                    prov,
                    number,
                    doc_type,
                    date,
                    related,
                    CUSTOMER,
                    line,
                    line_id,
                    sku,
                    qty,
                    start,
                    end,
                    unit,
                    net,
                    rate,
                    vat,
                    file,
                    row,
                    delivered,
                    LOADED_AT,
                ],
            )
        for prov, number, date, rate, taxable, vat, file, row, delivered in VAT_SUMMARIES:
            con.execute(
                "insert into raw.invoice_vat_summaries values (?, ?, 'TD01', ?, 1, ?, ?, ?, ?, ?,"
                " 'sha', 'load-1', ?, ?)",
                [prov, number, date, rate, taxable, vat, file, row, delivered, LOADED_AT],
            )
    finally:
        con.close()


def _import_no_cases(warehouse: Path) -> None:
    """What the night's case import step writes before dbt when no case exists yet."""
    import pyarrow as pa

    from backoffice.cases.night import CASE_STATE_SQL, STATE_COLUMNS

    empty = pa.table({column: pa.array([], pa.string()) for column in STATE_COLUMNS})
    with duckdb.connect(str(warehouse)) as con:
        con.register("case_state_arrow", empty)
        con.execute(CASE_STATE_SQL)


def _dbt_build(warehouse: Path, as_of: str, work: Path, *, tests: bool = True) -> None:
    """dbt build as of `as_of`; without `tests`, models and seeds only (the reruns: faster).

    Through the package's one way of running dbt (raises naming the failed nodes).
    """
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(work / "data")})
    skip_tests = [] if tests else ["--exclude-resource-type", "unit_test", "test"]
    run_dbt(settings, "build", *skip_tests, as_of=date.fromisoformat(as_of), warehouse=warehouse)


def _exceptions(warehouse: Path) -> list[dict]:
    con = duckdb.connect(str(warehouse))
    try:
        cur = con.execute("select * from marts.exceptions order by exception_id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def _history(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse))
    try:
        return con.execute(
            "select * from marts.exception_history order by as_of, exception_id"
        ).fetchall()
    finally:
        con.close()


def _by_type_and_line(rows: list[dict]) -> dict[tuple[str, str | None], dict]:
    return {(r["exception_type"], r["order_line_id"] or r["invoice_number"]): r for r in rows}


def test_dbt_build_publishes_exceptions_and_keeps_history(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _build_raw_warehouse(warehouse)
    _import_no_cases(warehouse)

    # --- first run --------------------------------------------------------------------------
    _dbt_build(warehouse, FIRST_AS_OF, tmp_path)
    con = duckdb.connect(str(warehouse))
    try:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' and table_name = 'exceptions' order by ordinal_position"
        ).fetchall()
    finally:
        con.close()
    assert [c[0] for c in columns] == list(OUTPUT_MD_COLUMNS)
    assert dict(columns)["amount_eur"] == "DECIMAL(18,2)"

    first = _exceptions(warehouse)
    found = _by_type_and_line(first)
    assert set(found) == {
        ("ORDER_NOT_SUBMITTED", "SO-2-01"),
        ("ORDER_STUCK", "SO-3-01"),
        ("ORDER_REJECTED", "SO-4-01"),
        ("ORDER_ENTRY_MISMATCH", "SO-5-01"),
        ("BILLED_NOT_ACTIVE", "SO-6-01"),
        ("BILLED_NOT_ACTIVE", "SO-9-01"),
        ("PRICE_MISMATCH", "SO-7-01"),
        ("ACTIVE_NOT_BILLED", "SO-8-01"),
        ("VAT_ERROR", "A/2026/3"),
    }
    for row in first:
        assert row["status"] == "open"
        assert str(row["as_of"]) == FIRST_AS_OF
        assert str(row["detected_on"]) == FIRST_AS_OF
        assert row["exception_id"].startswith("EX-")
        assert row["credited_eur"] == Decimal("0.00")
        assert row["evidence"]

    not_submitted = found[("ORDER_NOT_SUBMITTED", "SO-2-01")]
    assert not_submitted["provider"] == "nuvola"
    assert not_submitted["age_business_days"] == 4  # Mon 16 to Fri 20 March
    assert not_submitted["amount_eur"] == Decimal("0.00")
    assert not_submitted["owner"] == "back_office"
    assert not_submitted["severity"] == "medium"  # 4 is not more than twice the SLA of 2
    assert (not_submitted["source_file"], not_submitted["source_row"]) == (CRM_FILE, "2")
    assert not_submitted["invoice_number"] is None and not_submitted["period_month"] is None

    stuck = found[("ORDER_STUCK", "SO-3-01")]
    assert stuck["age_business_days"] == 13  # ACKNOWLEDGED since Tue 3 March
    assert stuck["owner"] == "customer_care"
    assert stuck["severity"] == "high"
    assert (stuck["source_file"], stuck["source_row"]) == (ALFA_EVENTS, "4")

    rejected = found[("ORDER_REJECTED", "SO-4-01")]
    assert rejected["age_business_days"] == 8  # REJECTED since Tue 10 March
    assert rejected["owner"] == "back_office"
    assert (rejected["source_file"], rejected["source_row"]) == (NUVOLA_EVENTS, "2")

    mismatch = found[("ORDER_ENTRY_MISMATCH", "SO-5-01")]
    assert mismatch["amount_eur"] == Decimal("5.00")  # 2 x 12.50 - 2 x 10.00
    assert mismatch["owner"] == "back_office"
    assert (mismatch["source_file"], mismatch["source_row"]) == (ALFA_ORDERS, "4")

    not_active = found[("BILLED_NOT_ACTIVE", "SO-6-01")]
    assert (not_active["invoice_number"], not_active["invoice_line"]) == ("FT-2026-0001", 1)
    assert not_active["amount_eur"] == Decimal("30.00")
    assert not_active["owner"] == "provider_billing"
    assert (not_active["source_file"], not_active["source_row"]) == (NUVOLA_INVOICES, "1")
    not_in_crm = found[("BILLED_NOT_ACTIVE", "SO-9-01")]
    assert not_in_crm["amount_eur"] == Decimal("15.50")
    assert not_in_crm["order_id"] is None

    price = found[("PRICE_MISMATCH", "SO-7-01")]
    assert (price["invoice_number"], price["invoice_line"]) == ("A/2026/2", 1)
    assert price["amount_eur"] == Decimal("20.00")
    assert price["evidence"] == (
        "billed 120.00 for 2026-02-01..2026-02-28, expected 100.00:"
        " unit price 120.00 vs contracted 100.00"
    )
    assert (price["source_file"], price["source_row"]) == (ALFA_INVOICE_2, "1/1")

    not_billed = found[("ACTIVE_NOT_BILLED", "SO-8-01")]
    assert not_billed["period_month"] == "2026-01"
    assert not_billed["amount_eur"] == Decimal("-17.00")  # 31.00 x 17 days of 31 (15-31 Jan)
    assert not_billed["invoice_number"] is None
    assert (not_billed["source_file"], not_billed["source_row"]) == (ALFA_EVENTS, "8")

    vat = found[("VAT_ERROR", "A/2026/3")]
    assert vat["amount_eur"] == Decimal("0.18")  # 7.00 billed, 22% of 31.00 = 6.82
    assert vat["order_line_id"] is None and vat["invoice_line"] is None
    assert (vat["source_file"], vat["source_row"]) == (ALFA_INVOICE_3, "1/1")

    con = duckdb.connect(str(warehouse))
    try:
        unmapped = con.execute(
            "select provider, order_line_id, provider_state from marts.unmapped_provider_states"
        ).fetchall()
    finally:
        con.close()
    assert unmapped == [("alfa", "SO-1-01", "onHoldByCustomer")]

    # --- the same as_of again: nothing changes ------------------------------------------------
    history = _history(warehouse)
    assert len(history) == len(first)
    _dbt_build(warehouse, FIRST_AS_OF, tmp_path, tests=False)
    assert _exceptions(warehouse) == first
    assert _history(warehouse) == history

    # --- a week later: SO-2-01 was submitted and acknowledged --------------------------------
    _dbt_build(warehouse, SECOND_AS_OF, tmp_path, tests=False)
    second = _by_type_and_line(_exceptions(warehouse))
    assert set(second) == set(found) | {("UNMATCHED_CREDIT", "SO-1-01")}
    resolved = second[("ORDER_NOT_SUBMITTED", "SO-2-01")]
    assert resolved["status"] == "resolved"
    assert resolved["exception_id"] == not_submitted["exception_id"]
    assert str(resolved["detected_on"]) == FIRST_AS_OF
    assert str(resolved["as_of"]) == SECOND_AS_OF
    assert resolved["source_file"] == not_submitted["source_file"]
    still = second[("ORDER_STUCK", "SO-3-01")]
    assert still["status"] == "open"
    assert still["exception_id"] == stuck["exception_id"]
    assert str(still["detected_on"]) == FIRST_AS_OF
    assert still["age_business_days"] == 18

    credited = second[("BILLED_NOT_ACTIVE", "SO-6-01")]
    assert credited["status"] == "credited"
    assert credited["credited_eur"] == Decimal("30.00")
    assert credited["exception_id"] == not_active["exception_id"]
    assert str(credited["detected_on"]) == FIRST_AS_OF

    unmatched = second[("UNMATCHED_CREDIT", "SO-1-01")]
    assert unmatched["status"] == "open"
    assert (unmatched["invoice_number"], unmatched["invoice_line"]) == ("NC-2026-0001", 2)
    assert unmatched["amount_eur"] == Decimal("-5.00")
    assert str(unmatched["detected_on"]) == SECOND_AS_OF
    assert (unmatched["source_file"], unmatched["source_row"]) == (NUVOLA_CREDIT_NOTES, "2")

    partly = second[("PRICE_MISMATCH", "SO-7-01")]
    assert partly["status"] == "open"
    assert (partly["amount_eur"], partly["credited_eur"]) == (Decimal("20.00"), Decimal("5.00"))

    # the history is append-only: the first run's rows are kept as they were
    assert [row for row in _history(warehouse) if str(row[0]) == FIRST_AS_OF] == history

    _assert_balances(warehouse)
    _assert_kpis(warehouse)


def _rows(warehouse: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(warehouse))
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def _assert_balances(warehouse: Path) -> None:
    """As of 27 March, by hand from the fixture's open exceptions.

    alfa: owed 5.00 (entry mismatch) + 20.00 - 5.00 credited (price) + 0.18 (VAT) = 20.18,
    under-billed -17.00 (January not billed); open also the ORDER_STUCK at 0.00.
    nuvola: owed 15.50 (billed, not in the CRM), under-billed -5.00 (the unmatched credit);
    the BILLED_NOT_ACTIVE of SO-6-01 is credited in full, no longer open; the ORDER_REJECTED
    at 0.00 is open.
    """
    E = Decimal
    balances = _rows(
        warehouse,
        "select customer_vat, provider, customer_name, owed_eur, under_billed_eur,"
        " owed_exceptions, under_billed_exceptions, open_exceptions, as_of"
        " from marts.customer_balances order by provider",
    )
    assert [
        (b["provider"], b["owed_eur"], b["under_billed_eur"], b["owed_exceptions"],
         b["under_billed_exceptions"], b["open_exceptions"])
        for b in balances
    ] == [
        ("alfa", E("20.18"), E("-17.00"), 3, 1, 5),
        ("nuvola", E("15.50"), E("-5.00"), 1, 1, 3),
    ]  # fmt: skip
    for b in balances:
        assert (b["customer_vat"], b["customer_name"]) == (CUSTOMER, "Cliente, Srl")
        assert str(b["as_of"]) == SECOND_AS_OF

    behind = _rows(
        warehouse,
        "select provider, exception_type, figure, amount_eur, credited_eur, contributes_eur,"
        " source_file, source_row from marts.customer_balance_exceptions"
        " order by provider, exception_type",
    )
    assert [tuple(r.values()) for r in behind] == [
        ("alfa", "ACTIVE_NOT_BILLED", "under_billed", E("-17.00"), E("0.00"), E("-17.00"),
         ALFA_EVENTS, "8"),
        ("alfa", "ORDER_ENTRY_MISMATCH", "owed", E("5.00"), E("0.00"), E("5.00"), ALFA_ORDERS,
         "4"),
        ("alfa", "PRICE_MISMATCH", "owed", E("20.00"), E("5.00"), E("15.00"), ALFA_INVOICE_2,
         "1/1"),
        ("alfa", "VAT_ERROR", "owed", E("0.18"), E("0.00"), E("0.18"), ALFA_INVOICE_3, "1/1"),
        ("nuvola", "BILLED_NOT_ACTIVE", "owed", E("15.50"), E("0.00"), E("15.50"),
         NUVOLA_INVOICES, "2"),
        ("nuvola", "UNMATCHED_CREDIT", "under_billed", E("-5.00"), E("0.00"), E("-5.00"),
         NUVOLA_CREDIT_NOTES, "2"),
    ]  # fmt: skip


def _assert_kpis(warehouse: Path) -> None:
    """As of 27 March, by hand. Cycle times: SO-8-01 Thu 8 -> Thu 15 Jan = 5;
    SO-7-01 Fri 23 Jan -> Sun 1 Feb = 5, SO-1-01 Mon 2 -> Tue 10 Feb = 6 (median 5.5,
    90th percentile 5 + 0.9 x 1 = 5.9); SO-5-01 Fri 27 Feb -> Thu 5 Mar = 4.
    Exceptions exist from the first run (March) on: earlier months are null there.
    """
    E = Decimal
    rows = _rows(
        warehouse,
        "select * exclude (month_start_date, as_of) from marts.provider_kpis_monthly"
        " order by provider, month",
    )
    got = {(r.pop("provider"), r.pop("month")): r for r in rows}
    assert list(got) == [
        ("alfa", "2026-01"), ("alfa", "2026-02"), ("alfa", "2026-03"),
        ("nuvola", "2026-02"), ("nuvola", "2026-03"),
    ]  # fmt: skip
    no_exceptions_yet = dict.fromkeys(
        ["open_exceptions", "open_aged_0_2", "open_aged_3_7", "open_aged_8_15",
         "open_aged_16_30", "open_aged_over_30", "money_at_stake_eur"]
    )  # fmt: skip

    def kpis(
        activated, median, p90, in_flight, stuck, share_stuck, lines, right, share_right,
        credits, credited, exceptions,
    ) -> dict:  # fmt: skip
        return {
            "activated_lines": activated,
            "cycle_time_median_business_days": median,
            "cycle_time_p90_business_days": p90,
            "lines_in_flight": in_flight,
            "lines_stuck": stuck,
            "share_lines_stuck": share_stuck,
            "invoice_lines": lines,
            "first_time_right_invoice_lines": right,
            "share_first_time_right": share_right,
            "credit_note_lines": credits,
            "credits_issued_eur": credited,
            **exceptions,
        }

    def aged(total, a0_2, a3_7, a8_15, a16_30, over_30, at_stake) -> dict:
        return dict(zip(no_exceptions_yet, [total, a0_2, a3_7, a8_15, a16_30, over_30, at_stake],
                        strict=True))  # fmt: skip

    zero = E("0.00")
    # fmt: off
    assert got[("alfa", "2026-01")] == kpis(
        1, E("5.0"), E("5.0"), 0, 0, None, 0, 0, None, 0, zero, no_exceptions_yet)
    # SO-3-01, signed on 27 February, still ACKNOWLEDGED and stuck
    assert got[("alfa", "2026-02")] == kpis(
        2, E("5.5"), E("5.9"), 1, 1, E("1.0000"), 0, 0, None, 0, zero, no_exceptions_yet)
    # three TD01 lines on 1 March, the PRICE_MISMATCH one not right first time; the partial
    # credit of 5.00; open: ORDER_STUCK aged 18, four found on 20 March aged 5; at stake
    # 5.00 + (20.00 - 5.00) + 17.00 + 0.18
    assert got[("alfa", "2026-03")] == kpis(
        1, E("4.0"), E("4.0"), 0, 0, None, 3, 2, E("0.6667"), 1, E("5.00"),
        aged(5, 0, 4, 0, 1, 0, E("37.18")))
    # SO-6-01 in progress for 9 business days, under its SLA of 10
    assert got[("nuvola", "2026-02")] == kpis(
        0, None, None, 1, 0, E("0.0000"), 0, 0, None, 0, zero, no_exceptions_yet)
    # SO-2-01 acknowledged 3 business days (at its SLA) and SO-4-01 rejected; both TD01 lines
    # wrong; credits 30.00 + 5.00; open: REJECTED aged 13, BILLED_NOT_ACTIVE aged 5 and the
    # unmatched credit found today; at stake 15.50 + 5.00
    assert got[("nuvola", "2026-03")] == kpis(
        0, None, None, 2, 1, E("0.5000"), 2, 0, E("0.0000"), 2, E("35.00"),
        aged(3, 1, 1, 1, 0, 0, E("20.50")))
    # fmt: on
