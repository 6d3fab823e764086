"""The GX checks against real DuckDB files: a clean warehouse passes, each defect is named.

The marts are built by dbt elsewhere; here they are made by hand with OUTPUT.md's columns, so
that these tests pin the checks, not the transformations.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from backoffice.quality import (
    CheckReport,
    compile_checks_sql,
    measure_checks,
    run_checks,
    run_checks_sql,
)
from backoffice.settings import PROJECT_DIR, Settings

pytestmark = pytest.mark.integration

AS_OF = date(2026, 3, 31)
RAW_SCHEMA = PROJECT_DIR / "src" / "backoffice" / "warehouse" / "raw_schema.sql"
SUITES_DIR = PROJECT_DIR / "expectations" / "expectations"

CRM_FILE = "crm/signed_orders/2026-03-02/signed_orders_20260302.csv"
ORDERS_FILE = "alfa/orders/2026-03-03/orders_20260303.ndjson"
EVENTS_FILE = "alfa/activations/2026-03-05/activations_20260305.ndjson"
INVOICE_FILE = "alfa/invoices/2026-03-31/IT01234567890_00042.xml"
NUVOLA_FILE = "nuvola/invoices/2026-03-31/fatture_202603.csv"
LOADED_AT = "2026-03-31 23:00:00+00"

RAW_ROWS = f"""
insert into raw.landed_files (file_path, source, feed, delivery_date, size_bytes,
    file_sha256, load_id, status, duplicate_of, rows_read, rows_loaded, rows_quarantined,
    error, loaded_at) values
    ('{CRM_FILE}', 'crm', 'signed_orders', '2026-03-02', 900, 'sha-crm', 'load-1', 'loaded',
     null, 3, 2, 1, null, '{LOADED_AT}'),
    ('{ORDERS_FILE}', 'alfa', 'orders', '2026-03-03', 800, 'sha-ord', 'load-1', 'loaded',
     null, 1, 1, 0, null, '{LOADED_AT}'),
    ('{EVENTS_FILE}', 'alfa', 'activations', '2026-03-05', 700, 'sha-evt', 'load-1', 'loaded',
     null, 2, 2, 0, null, '{LOADED_AT}'),
    ('{INVOICE_FILE}', 'alfa', 'invoices', '2026-03-31', 5000, 'sha-inv', 'load-2', 'loaded',
     null, 1, 1, 0, null, '{LOADED_AT}'),
    ('{NUVOLA_FILE}', 'nuvola', 'invoices', '2026-03-31', 400, 'sha-nuv', 'load-2', 'loaded',
     null, 1, 1, 0, null, '{LOADED_AT}'),
    ('alfa/invoices/2026-03-31/IT01234567890_00042_again.xml', 'alfa', 'invoices',
     '2026-03-31', 5000, 'sha-inv', 'load-2', 'redelivery', '{INVOICE_FILE}', 0, 0, 0, null,
     '{LOADED_AT}');

insert into raw.quarantine values
    ('crm', 'signed_orders', '{CRM_FILE}', '3', 'quantity: not an integer (''due'')',
     'SO-2026-000002,...', 'sha-crm', 'load-1', '{LOADED_AT}');

insert into raw.state_map values
    ('alfa', 'acknowledged', 'ACKNOWLEDGED'), ('alfa', 'completed', 'ACTIVE');

insert into raw.crm_signed_orders values
    ('SO-2026-000001', 'SO-2026-000001-01', 'IT01234567890', 'Caffè Rossi, S.r.l.', 'alfa',
     'FIBRA-1G', 'Fibra 1 Gbit/s', 2, 10.0000, 22.00, '2026-03-02', 'signed', null,
     '2026-03-02 09:00:00+00', '{CRM_FILE}', '1', 'sha-crm', 'load-1', '2026-03-02', '{LOADED_AT}'),
    ('SO-2026-000001', 'SO-2026-000001-02', 'IT01234567890', 'Caffè Rossi, S.r.l.', 'nuvola',
     'VM-S', 'Small VM', 1, 25.5000, 22.00, '2026-03-02', 'cancelled', '2026-03-03',
     '2026-03-03 09:00:00+00', '{CRM_FILE}', '2', 'sha-crm', 'load-1', '2026-03-02', '{LOADED_AT}');

insert into raw.provider_orders values
    ('alfa', 'evt-1', 'ALFA-900', 'SO-2026-000001', 'SO-2026-000001-01', 'FIBRA-1G', 2, 10.0000,
     '2026-03-03 10:00:00+00', '{ORDERS_FILE}', '1', 'sha-ord', 'load-1', '2026-03-03',
     '{LOADED_AT}');

insert into raw.provider_order_events values
    ('alfa', 'evt-2', 'ALFA-900', 'SO-2026-000001-01', 'acknowledged', '2026-03-03 11:00:00+00',
     null, '{EVENTS_FILE}', '1', 'sha-evt', 'load-1', '2026-03-05', '{LOADED_AT}'),
    ('alfa', 'evt-3', 'ALFA-900', 'SO-2026-000001-01', 'completed', '2026-03-05 09:00:00+00',
     null, '{EVENTS_FILE}', '2', 'sha-evt', 'load-1', '2026-03-05', '{LOADED_AT}');

insert into raw.invoice_lines values
    ('alfa', 'A-2026-042', 'TD01', '2026-03-31', null, 'IT01234567890', 'EUR', 1, 1,
     'SO-2026-000001-01', 'FIBRA-1G', 'Fibra 1 Gbit/s marzo', 2, '2026-03-05', '2026-03-31',
     12.00, 20.90, 22.00, null, '{INVOICE_FILE}', '1/1', 'sha-inv', 'load-2', '2026-03-31',
     '{LOADED_AT}'),
    ('nuvola', 'N-2026-007', 'TD04', '2026-03-31', 'N-2026-001', 'IT01234567890', 'EUR', 1, 1,
     'SO-2026-000001-02', 'VM-S', 'Storno', 1, '2026-03-01', '2026-03-31', 25.50, 25.50, 22.00,
     5.61, '{NUVOLA_FILE}', '1', 'sha-nuv', 'load-2', '2026-03-31', '{LOADED_AT}');

insert into raw.invoice_vat_summaries values
    ('alfa', 'A-2026-042', 'TD01', '2026-03-31', 1, 22.00, 20.90, 4.60, '{INVOICE_FILE}', '1/R1',
     'sha-inv', 'load-2', '2026-03-31', '{LOADED_AT}');
"""

MARTS = f"""
create schema marts;
create table marts.exceptions (
    exception_id varchar, exception_type varchar, status varchar, provider varchar,
    customer_vat varchar, order_id varchar, order_line_id varchar, invoice_number varchar,
    invoice_line varchar, period_month varchar, as_of date, detected_on date,
    age_business_days integer, amount_eur decimal(18, 4), credited_eur decimal(18, 4),
    severity varchar, owner varchar, evidence varchar, source_file varchar, source_row varchar
);
insert into marts.exceptions values
    ('EX-1', 'PRICE_MISMATCH', 'open', 'alfa', 'IT01234567890', 'SO-2026-000001',
     'SO-2026-000001-01', 'A-2026-042', '1', null, '{AS_OF}', '2026-03-31', 0, 4.00, 0.00,
     'low', 'provider_billing',
     'billed 20.90, expected 16.90: unit price 12.00 vs contracted 10.00',
     '{INVOICE_FILE}', '1/1'),
    ('EX-2', 'ACTIVE_NOT_BILLED', 'open', 'alfa', 'IT01234567890', 'SO-2026-000001',
     'SO-2026-000001-01', null, null, '2026-02', '{AS_OF}', '2026-03-25', 4, -12.50, 0.00, 'low',
     'provider_billing', 'active 5 days of 2026-02, none billed: expected 12.50',
     '{EVENTS_FILE}', '2'),
    ('EX-3', 'UNMATCHED_CREDIT', 'resolved', 'nuvola', 'IT01234567890', 'SO-2026-000001',
     'SO-2026-000001-02', 'N-2026-007', '1', null, '2026-03-30', '2026-03-20', 7, -25.50, 0.00,
     'low', 'provider_billing', 'credit note N-2026-007 line 1 of 25.50 matches no exception',
     '{NUVOLA_FILE}', '1');

create table marts.order_lines (
    order_line_id varchar, order_id varchar, provider varchar, customer_vat varchar,
    current_state varchar, current_state_since date
);
insert into marts.order_lines values
    ('SO-2026-000001-01', 'SO-2026-000001', 'alfa', 'IT01234567890', 'ACTIVE', '2026-03-05'),
    ('SO-2026-000001-02', 'SO-2026-000001', 'nuvola', 'IT01234567890', null, null);
"""


def build_warehouse(path: Path, *defects: str) -> Path:
    """A warehouse as ingest and dbt leave it, then the given SQL defects applied."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(RAW_SCHEMA.read_text())
        con.execute(RAW_ROWS)
        con.execute(MARTS)
        for defect in defects:
            con.execute(defect)
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        project_dir=PROJECT_DIR, landing_dir=tmp_path / "landing", data_dir=tmp_path / "data"
    )


def committed_expectations(kind: str | None = None) -> int:
    return sum(
        1
        for p in SUITES_DIR.glob("*.json")
        for e in json.loads(p.read_text())["expectations"]
        if kind in (None, e["type"])
    )


def failing(report: CheckReport) -> list[tuple[str, str, str | None]]:
    return [
        (o.table_name, o.expectation_type, o.column_name or o.description)
        for o in report.outcomes
        if not o.success
    ]


def sql_failing(settings: Settings, warehouse: Path, as_of: date = AS_OF) -> list[tuple]:
    return [
        (o.check.table_name, o.check.expectation_type, o.check.column_name or o.check.description)
        for o in run_checks_sql(settings, warehouse=warehouse, as_of=as_of)
        if not o.success
    ]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(folder.rglob("*"))
    }


def git_status(folder: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", str(folder)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_clean_warehouse_passes_and_is_recorded(settings: Settings, tmp_path: Path) -> None:
    warehouse = build_warehouse(settings.build_warehouse)
    before = (snapshot(settings.expectations_dir), git_status(settings.expectations_dir))

    started = time.monotonic()
    report = run_checks(settings, warehouse=warehouse, run_id="run-1", as_of=AS_OF)
    elapsed = time.monotonic() - started
    print(f"run_checks took {elapsed:.1f}s for {report.evaluated} expectations")

    assert failing(report) == []
    assert report.success
    assert report.failures == ()
    assert report.evaluated == committed_expectations() == report.passed
    assert report.data_docs_index == settings.gx_dir / "data_docs" / "index.html"
    assert report.data_docs_index.is_file()
    assert (snapshot(settings.expectations_dir), git_status(settings.expectations_dir)) == before
    assert json.loads(json.dumps(report.to_dict()))["success"] is True

    # The warehouse is free again, and holds one row per expectation of the run.
    with duckdb.connect(str(warehouse)) as con:
        rows = con.execute(
            "select count(*), count(distinct suite), bool_and(success), min(as_of) "
            "from audit.gx_results where run_id = 'run-1'"
        ).fetchone()
        kwargs = con.execute(
            "select kwargs from audit.gx_results where table_name = 'marts.exceptions' "
            "and expectation_type = 'expect_column_values_to_be_unique'"
        ).fetchone()
    assert rows == (report.evaluated, 9, True, AS_OF)
    assert json.loads(kwargs[0]) == {"column": "exception_id"}
    # Row checks pass on a verdict alone (BOOLEAN_ONLY), yet are recorded with their count.
    with duckdb.connect(str(warehouse)) as con:
        not_null = con.execute(
            "select count(*), count(*) filter (where unexpected_count = 0) from audit.gx_results "
            "where expectation_type = 'expect_column_values_to_not_be_null'"
        ).fetchone()
    assert not_null == (committed_expectations("expect_column_values_to_not_be_null"),) * 2
    # Each stored validation (what Data Docs show) counts every expectation it holds.
    stored = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in (settings.gx_dir / "uncommitted" / "validations").rglob("*.json")
    ]
    assert len(stored) == 10  # nine tables and the SQL rules
    for validation in stored:
        statistics = validation["statistics"]
        assert statistics["evaluated_expectations"] == len(validation["results"]) > 0
        assert statistics["successful_expectations"] == len(validation["results"])
    assert sum(len(v["results"]) for v in stored) == report.evaluated


def test_rerun_replaces_its_rows_and_other_runs_append(settings: Settings) -> None:
    warehouse = build_warehouse(settings.build_warehouse)
    first = run_checks(settings, warehouse=warehouse, run_id="run-1", as_of=AS_OF)
    suite_pages = snapshot(settings.gx_dir / "data_docs" / "expectations")
    run_checks(settings, warehouse=warehouse, run_id="run-1", as_of=AS_OF)
    last = run_checks(settings, warehouse=warehouse, run_id="run-2", as_of=date(2026, 4, 1))
    # The suites did not change: their pages are not rendered again; the index lists both runs.
    assert len(suite_pages) == 10  # nine tables and the SQL rules
    assert snapshot(settings.gx_dir / "data_docs" / "expectations") == suite_pages
    index = last.data_docs_index.read_text(encoding="utf-8")
    assert "run-1" in index and "run-2" in index
    # Each run made offline the pages it wrote (only those are read again): every page is.
    from backoffice.audit.docs import OFFLINE_MARK

    pages = list((settings.gx_dir / "data_docs").rglob("*.html"))
    assert len(pages) > 20
    assert [p for p in pages if OFFLINE_MARK not in p.read_text(encoding="utf-8")] == []
    # The same index as GX builds when each section and the index list the store themselves
    # and look each key up in a list (only the verdicts read as JSON, as before).
    import great_expectations as gx

    from backoffice.audit.docs import make_data_docs_offline_dir
    from backoffice.quality import _index_reads_verdicts

    context = gx.get_context(mode="file", context_root_dir=str(settings.gx_dir))
    run_2 = [k for k in context.validation_results_store.list_keys() if "run-2" in str(k)]
    assert len(run_2) == 10
    with _index_reads_verdicts(context):
        context.build_data_docs(resource_identifiers=run_2)
    make_data_docs_offline_dir(settings.gx_dir / "data_docs")
    assert last.data_docs_index.read_text(encoding="utf-8") == index
    # Data Docs' templates, compiled once, are kept for the next runs (a night compiles none).
    templates = settings.gx_dir / "uncommitted" / "templates" / "compiled.marshal"
    assert templates.stat().st_size > 0
    with duckdb.connect(str(warehouse)) as con:
        counts = con.execute(
            "select run_id, count(*) from audit.gx_results group by run_id order by run_id"
        ).fetchall()
    assert counts == [("run-1", first.evaluated), ("run-2", first.evaluated)]


@pytest.mark.parametrize(
    ("defect", "expected", "summary", "example"),
    [
        pytest.param(
            "update marts.exceptions set source_file = null where exception_id in ('EX-1', 'EX-2')",
            ("marts.exceptions", "expect_column_values_to_not_be_null", "source_file"),
            "marts.exceptions: expect_column_values_to_not_be_null(source_file) failed: "
            "2 unexpected",
            None,
            id="exception-without-source-file",
        ),
        pytest.param(
            "update marts.exceptions set amount_eur = 4.005 where exception_id = 'EX-1'",
            (
                "marts.exceptions",
                "unexpected_rows_expectation",
                "amount_eur and credited_eur are whole cents",
            ),
            "marts.exceptions: unexpected_rows_expectation(amount_eur and credited_eur are "
            "whole cents) failed: 1 unexpected",
            None,
            id="amount-with-three-decimals",
        ),
        pytest.param(
            "insert into marts.order_lines values "
            "('SO-2026-000001-01', 'SO-2026-000001', 'alfa', 'IT01234567890', 'HELD', null)",
            ("marts.order_lines", "expect_column_values_to_be_unique", "order_line_id"),
            "marts.order_lines: expect_column_values_to_be_unique(order_line_id) failed: "
            "2 unexpected",
            "SO-2026-000001-01",
            id="order-line-with-two-current-states",
        ),
        pytest.param(
            "update raw.landed_files set rows_read = 4 where feed = 'signed_orders'",
            (
                "raw.landed_files",
                "unexpected_rows_expectation",
                "every row read was either loaded or quarantined "
                "(rows_read = rows_loaded + rows_quarantined)",
            ),
            None,
            None,
            id="rows-read-do-not-add-up",
        ),
        pytest.param(
            "update raw.crm_signed_orders set customer_vat = 'IT123' where _source_row = '2'",
            (
                "raw.crm_signed_orders",
                "unexpected_rows_expectation",
                "customer_vat is IT and 11 digits",
            ),
            None,
            None,
            id="malformed-vat-number",
        ),
        pytest.param(
            "update marts.exceptions set exception_type = 'PRICE_ERROR' "
            "where exception_id = 'EX-1'",
            ("marts.exceptions", "expect_column_values_to_be_in_set", "exception_type"),
            None,
            "PRICE_ERROR",
            id="exception-type-not-in-catalogue",
        ),
        pytest.param(
            "alter table marts.exceptions add column note varchar",
            (
                "marts.exceptions",
                "expect_table_columns_to_match_ordered_list",
                "exactly OUTPUT.md's columns, in its order",
            ),
            None,
            "note",
            id="exceptions-with-a-column-too-many",
        ),
    ],
)
def test_defect_fails_exactly_its_expectation(
    settings: Settings,
    defect: str,
    expected: tuple[str, str, str | None],
    summary: str | None,
    example: str | None,
) -> None:
    warehouse = build_warehouse(settings.build_warehouse, defect)
    report = run_checks(settings, warehouse=warehouse, run_id="run-bad", as_of=AS_OF)

    assert not report.success
    assert failing(report) == [expected]
    assert report.failed == 1
    # the same suites compiled into one SQL query find exactly the same defect
    assert sql_failing(settings, warehouse) == [expected]
    assert len(report.failures) == 1
    if summary is not None:
        assert report.failures == (summary,)
    with duckdb.connect(str(warehouse)) as con:
        failed = con.execute(
            "select table_name, expectation_type, severity from audit.gx_results "
            "where run_id = 'run-bad' and not success"
        ).fetchall()
    assert failed == [(expected[0], expected[1], "critical")]
    if example is not None:  # a failure keeps its examples (a SUMMARY), in records and docs
        (observed,) = [o.observed_value for o in report.outcomes if not o.success]
        assert example in observed
        suite = expected[0].replace(".", "_")
        pages = list((settings.gx_dir / "data_docs" / "validations" / suite).rglob("*.html"))
        assert len(pages) == 1
        assert example.strip('"') in pages[0].read_text(encoding="utf-8")


def test_marts_judged_after_the_run_date_fail(settings: Settings) -> None:
    """The marts were built for a later as-of date than the run that checks them."""
    warehouse = build_warehouse(settings.build_warehouse)
    report = run_checks(settings, warehouse=warehouse, run_id="run-1", as_of=date(2026, 3, 30))

    assert report.failures == (
        'marts.exceptions: expect_column_max_to_be_between(as_of) failed: observed "2026-03-31"',
    )


def test_unmapped_provider_state_is_reported_not_blocking(settings: Settings) -> None:
    warehouse = build_warehouse(
        settings.build_warehouse,
        "update raw.provider_order_events set provider_state = 'suspendedByProvider' "
        "where event_id = 'evt-2'",
    )
    report = run_checks(settings, warehouse=warehouse, run_id="run-1", as_of=AS_OF)

    assert report.success
    assert report.failed == 0
    assert report.warnings == (
        "raw.provider_order_events: unexpected_rows_expectation(provider states not in the "
        "registry's mapping (kept and reported, not blocking)) failed: 1 unexpected",
    )


def test_missing_mart_fails_once_instead_of_raising(settings: Settings) -> None:
    warehouse = build_warehouse(settings.build_warehouse, "drop table marts.order_lines")
    report = run_checks(settings, warehouse=warehouse, run_id="run-1", as_of=AS_OF)

    assert not report.success
    assert report.failures == (
        "marts.order_lines: the table does not exist (2 expectations not evaluated)",
    )
    assert report.failed == 2
    assert report.evaluated == committed_expectations()
    assert report.data_docs_index.is_file()


def _suites_with(settings: Settings, tmp_path: Path, suite: str, expectation: dict) -> Path:
    """A copy of the committed suites with one expectation added to `suite`."""
    edited = tmp_path / "expectations"
    shutil.copytree(settings.expectations_dir, edited)
    suite_file = edited / "expectations" / f"{suite}.json"
    document = json.loads(suite_file.read_text())
    document["expectations"].append(expectation)
    suite_file.write_text(json.dumps(document))
    return edited


def test_a_suite_is_configuration(settings: Settings, tmp_path: Path) -> None:
    """An expectation added to a suite file is run and blocks, with no code change."""
    edited = _suites_with(
        settings,
        tmp_path,
        "marts_exceptions",
        {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 0}},
    )
    warehouse = build_warehouse(settings.build_warehouse)
    run_checks(settings, warehouse=warehouse, run_id="run-0", as_of=AS_OF)  # the committed suites
    page = settings.gx_dir / "data_docs" / "expectations" / "marts_exceptions.html"
    before = page.read_text(encoding="utf-8")
    report = run_checks(
        replace(settings, expectations_override=edited),
        warehouse=warehouse,
        run_id="run-1",
        as_of=AS_OF,
    )

    assert report.failures == (
        "marts.exceptions: expect_table_row_count_to_equal failed: observed 3",
    )
    assert page.read_text(encoding="utf-8") != before  # the changed suite's page rendered again


def test_the_one_query_form_judges_every_expectation(settings: Settings) -> None:
    """Compiled from the committed suites: one row per expectation, none left out."""
    warehouse = build_warehouse(settings.build_warehouse)
    outcomes = run_checks_sql(settings, warehouse=warehouse, as_of=AS_OF)
    assert len(outcomes) == committed_expectations()
    assert [o for o in outcomes if not o.success] == []
    assert sql_failing(settings, warehouse, date(2026, 3, 30)) == [
        ("marts.exceptions", "expect_column_max_to_be_between", "as_of")
    ]
    sql, checks = compile_checks_sql(settings.expectations_dir, as_of=AS_OF, tables=set())
    assert checks == [] and "where false" in sql


def test_the_one_query_form_refuses_an_expectation_it_cannot_compile(
    settings: Settings, tmp_path: Path
) -> None:
    edited = _suites_with(
        settings,
        tmp_path,
        "marts_order_lines",
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "x", "regex": "."}},
    )
    with pytest.raises(ValueError, match="expect_column_values_to_match_regex"):
        compile_checks_sql(edited, as_of=AS_OF, tables={"marts.order_lines"})


def test_measure_checks_times_gx_beside_the_one_query(settings: Settings) -> None:
    """What the benchmark reports: both forms timed on a copy, with the same verdicts."""
    warehouse = build_warehouse(
        settings.build_warehouse,
        "update marts.exceptions set source_file = null where exception_id = 'EX-1'",
    )
    run_checks(settings, warehouse=warehouse, run_id="earlier-night", as_of=AS_OF)
    before = warehouse.stat().st_mtime_ns
    context_before = snapshot(settings.gx_dir)
    measured = measure_checks(settings, warehouse)
    assert measured["as_of"] == AS_OF.isoformat()  # the latest as-of the exceptions were judged
    assert measured["expectations"] == measured["expectations_sql"] == committed_expectations()
    assert measured["same_verdicts"] is True
    for key in ("gx_wall_s", "gx_cpu_s", "sql_wall_s", "sql_cpu_s"):
        assert measured[key] > 0, key
    ratio = measured["gx_wall_s"] / measured["sql_wall_s"]
    assert measured["ratio_wall"] == pytest.approx(ratio, rel=0.05, abs=0.1)
    assert warehouse.stat().st_mtime_ns == before, "the measured warehouse is never written"
    assert measured["gx_context"] == "the data dir's, copied"  # timed as the next night
    assert snapshot(settings.gx_dir) == context_before, "GX wrote into a scratch copy"


def test_a_check_with_mostly_records_its_unexpected_rows_on_a_pass(
    settings: Settings, tmp_path: Path
) -> None:
    """Row checks pass on a verdict alone, except those with `mostly`: their count is kept."""
    edited = _suites_with(
        settings,
        tmp_path,
        "marts_order_lines",
        {
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "current_state", "mostly": 0.5},
            "severity": "warning",
        },
    )
    warehouse = build_warehouse(settings.build_warehouse)  # one of two order lines has no state
    report = run_checks(
        replace(settings, expectations_override=edited),
        warehouse=warehouse,
        run_id="run-1",
        as_of=AS_OF,
    )

    assert report.success and report.warnings == ()
    (mostly,) = [o for o in report.outcomes if o.kwargs.get("mostly") == 0.5]
    assert (mostly.success, mostly.unexpected_count) == (True, 1)


def test_an_empty_table_passes_its_uniqueness(settings: Settings) -> None:
    """Uniqueness is first judged as "as many distinct values as values", which has nothing to
    compare on an empty table: the check itself then decides, and there is no duplicate."""
    warehouse = build_warehouse(settings.build_warehouse, "delete from marts.order_lines")
    report = run_checks(settings, warehouse=warehouse, run_id="run-1", as_of=AS_OF)

    assert report.failures == () and report.warnings == ()
    (unique,) = [
        o
        for o in report.outcomes
        if o.table_name == "marts.order_lines"
        and o.expectation_type == "expect_column_values_to_be_unique"
    ]
    assert (unique.success, unique.unexpected_count) == (True, 0)
