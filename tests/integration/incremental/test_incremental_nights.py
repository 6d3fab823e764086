"""An incremental night publishes what a full rebuild of the same date does, to the cent.

The shared nights (2 and 9 March, `published_nights`) ran through `pipeline.run_night`:
the second recomputed only the order lines its deliveries touched. On a private copy
of them, the same date is then rebuilt in full (`dbt build --full-refresh`), an earlier
date is rerun (the night must notice and rebuild in full), the later date again
incrementally from that earlier state, and once more (a rerun of the same date); each
time the warehouse people read equals, row for row and cent for cent, what the shared
nights published for that date.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from backoffice import pipeline
from backoffice.dbt_runner import run_dbt
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

# What people read (the marts) and the incremental models' own tables.
COMPARED = (
    "marts.exceptions",
    "marts.customer_balances",
    "marts.customer_balance_exceptions",
    "marts.order_lines",
    "marts.invoice_lines",
    "marts.exception_history",
    "marts.row_lineage",
    "intermediate.int_crm_order_lines__current",
    "intermediate.int_order_timeline",
    "intermediate.int_order_lines__states",
    "intermediate.int_invoices__vat",
    "intermediate.int_invoice_lines__judged",
    "intermediate.int_invoice_lines__judgements",
    "intermediate.int_order_line_months__billing",
)
# Columns that name the run rather than its result.
RUN_COLUMNS = {"dbt_invocation_id", "judged_at", "built_at"}


def build_night(settings: Settings, as_of: date, *, full_refresh: bool = False) -> dict:
    """The night's steps up to publication, `--full-refresh` when asked.

    Every model in one `dbt run` (the same SQL the night's layers build, in one dbt start):
    the night's data tests, data checks and audit records are not what this test is about.
    """
    pipeline.begin_run(settings, as_of)
    pipeline.ingest_feeds(settings, as_of)
    pipeline.import_cases(settings, as_of)
    extra = ("--full-refresh",) if full_refresh else ()
    run_dbt(settings, "run", "--select", "path:models", *extra, as_of=as_of)
    pipeline.publish_build(settings, as_of)
    with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
        row = con.execute(
            "select is_full_rebuild, full_rebuild_reason, "
            "(select count(*) from intermediate.int_incremental__order_lines) "
            "from intermediate.int_incremental__night"
        ).fetchone()
    return {"is_full_rebuild": row[0], "reason": row[1], "order_lines_in_scope": row[2]}


def differences(built: Path, published: Path, as_of: date) -> dict[str, tuple[int, int]]:
    """Per table, (rows only in the build, rows only in the publication); empty when equal."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{built}' as built (read_only)")
        con.execute(f"attach '{published}' as published (read_only)")
        for table in COMPARED:
            schema, name = table.split(".")
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from duckdb_columns() where database_name = 'published' "
                    "and schema_name = ? and table_name = ? order by column_index",
                    [schema, name],
                ).fetchall()
                if r[0] not in RUN_COLUMNS
            ]
            assert columns, f"{table} is not in {published}"
            listed = ", ".join(f'"{c}"' for c in columns)
            # The history holds every night's changes: compare what stood up to D.
            where = f"where as_of <= date '{as_of}'" if name == "exception_history" else ""
            a = f"select {listed} from built.{table} {where}"
            b = f"select {listed} from published.{table} {where}"
            only_built = con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0]
            only_published = con.execute(f"select count(*) from ({b} except all {a})").fetchone()[0]
            if only_built or only_published:
                found[table] = (only_built, only_published)
    return found


@pytest.fixture(scope="module")
def copy(published_nights, tmp_path_factory) -> Settings:
    target = tmp_path_factory.mktemp("incremental") / "nights"
    shutil.copytree(published_nights.root, target, symlinks=True)
    return Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(target / "landing"),
            "BACKOFFICE_DATA_DIR": str(target / "data"),
        }
    )


def test_the_shared_second_night_was_incremental(published_nights):
    """The premise: run_night's second night recomputed some order lines, not all."""
    second = published_nights.publications[published_nights.dates[1]]
    with duckdb.connect(str(second), read_only=True) as con:
        builds = con.execute(
            "select as_of, is_full_rebuild, full_rebuild_reason, order_lines_in_scope "
            "from intermediate.int_incremental__builds order by built_at"
        ).fetchall()
        lines = con.execute("select count(*) from marts.order_lines").fetchone()[0]
    first, later = published_nights.dates
    assert [(b[0], b[1]) for b in builds] == [(first, True), (later, False)]
    assert builds[0][2] == "no earlier build"
    assert 0 < builds[1][3] < lines


def test_incremental_nights_equal_full_rebuilds(published_nights, copy):
    """Full rebuild, earlier date, incremental again, rerun: each equals the published night."""
    first, later = published_nights.dates
    published = published_nights.publications

    full = build_night(copy, later, full_refresh=True)
    assert full["reason"] == "full refresh requested"
    assert differences(copy.build_warehouse, published[later], later) == {}

    earlier = build_night(copy, first)
    assert earlier["is_full_rebuild"] and earlier["reason"] == "a date earlier than the last build"
    assert differences(copy.build_warehouse, published[first], first) == {}

    again = build_night(copy, later)
    assert not again["is_full_rebuild"] and again["order_lines_in_scope"] > 0
    assert differences(copy.build_warehouse, published[later], later) == {}

    rerun = build_night(copy, later)
    assert not rerun["is_full_rebuild"]
    assert rerun["order_lines_in_scope"] <= again["order_lines_in_scope"]
    assert differences(copy.build_warehouse, published[later], later) == {}


def test_the_line_marts_are_views_over_the_kept_rows(published_nights):
    """marts.order_lines and marts.invoice_lines: views adding the date to the incremental rows.

    The publication carries their SQL, not a copy of every line: the kept tables' rows with
    the night's as_of (and each order line's age) added where they are read.
    """
    later = published_nights.dates[1]
    with duckdb.connect(str(published_nights.publications[later]), read_only=True) as con:
        kinds = dict(
            con.execute(
                "select table_name, table_type from information_schema.tables "
                "where table_schema = 'marts' and table_name in ('order_lines', 'invoice_lines')"
            ).fetchall()
        )
        assert kinds == {"order_lines": "VIEW", "invoice_lines": "VIEW"}
        parts_of = {
            name
            for (name,) in con.execute(
                "select distinct table_schema || '.' || table_name from publication.parts"
            ).fetchall()
        }
        assert "marts.order_lines" not in parts_of and "marts.invoice_lines" not in parts_of
        assert "intermediate.int_invoice_lines__judgements" in parts_of
        for mart, kept in (
            ("marts.order_lines", "intermediate.int_order_lines__states"),
            ("marts.invoice_lines", "intermediate.int_invoice_lines__judgements"),
        ):
            rows, dates, kept_rows = con.execute(
                f"select count(*), list(distinct as_of), (select count(*) from {kept}) from {mart}"
            ).fetchone()
            assert rows == kept_rows > 0
            assert dates == [later]
        # the age is the night's: business days from the state's start to D, as RULES.md says
        ages = con.execute(
            "select count(*), count(*) filter (where state_age_business_days is null) "
            "from marts.order_lines"
        ).fetchone()
        assert ages[0] > 0 and ages[1] == 0
