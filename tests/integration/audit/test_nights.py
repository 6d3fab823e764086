"""The control log and the history across three nights: appended, never rewritten, replayable."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from audit_support import AuditNights, read_table, run_cli, three_nights

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def nights(published_nights, tmp_path_factory) -> AuditNights:
    return three_nights(published_nights, tmp_path_factory)


CONTROLS = 14  # the exception types of RULES.md, one control each


def test_control_log_holds_every_night_and_never_rewrites_one(nights) -> None:
    first, second, third = nights.dates
    log = read_table(nights.settings, "select * from audit.control_log order by all")
    assert {row[2] for row in log} == {first, second, third}
    for night in (first, second, third):
        assert len({row[3] for row in log if row[2] == night}) == CONTROLS
    # the first two nights' rows are exactly what the second night published
    assert [row for row in log if row[2] in (first, second)] == nights.log_before
    completeness = read_table(nights.settings, "select * from audit.completeness order by all")
    assert [row for row in completeness if row[2] in (first, second)] == (
        nights.completeness_before
    )


def test_control_log_figures_match_the_published_marts(nights) -> None:
    third = nights.dates[-1]
    rows = read_table(
        nights.settings,
        f"""
        select log.control, log.exceptions_found, log.population_rows, log.git_commit,
               log.dbt_project_sha256, log.dbt_invocation_id, log.checks_evaluated,
               (select count(*) from marts.exceptions e
                where e.exception_type = log.control and e.status != 'resolved') as found,
               (select count(*) from marts.invoice_lines where document_type = 'TD01') as td01
        from audit.control_log as log where as_of = date '{third}'
        """,
    )
    assert len(rows) == CONTROLS
    for control, logged, population, commit, dbt_hash, invocation, checks, found, td01 in rows:
        assert logged == found, control
        assert len(dbt_hash) == 64 and invocation and checks > 0
        assert commit is None or len(commit) == 40
        if control in ("PRICE_MISMATCH", "DUPLICATE_CHARGE"):
            assert population == td01


def test_completeness_accounts_for_every_row_of_every_feed(nights) -> None:
    rows = read_table(
        nights.settings,
        "select as_of, source, feed, files_landed, rows_read, rows_loaded, rows_quarantined, "
        "rows_in_raw, rows_in_staging, rows_unaccounted, is_reconciled "
        "from audit.completeness",
    )
    first = nights.dates[0]
    assert {(r[1], r[2]) for r in rows if r[0] == first} >= {
        ("crm", "signed_orders"),
        ("alfa", "invoices"),
        ("nuvola", "invoices"),
    }
    for night, source, feed, files, read, loaded, quarantined, raw, staged, lost, ok in rows:
        assert files >= 1, (night, source, feed)
        assert read == loaded + quarantined, (night, source, feed)
        assert loaded == raw == staged, (night, source, feed)
        assert lost == 0 and ok
    assert sum(r[4] for r in rows if r[0] == first) > 0


def test_exceptions_as_of_the_first_night_after_its_publication_is_deleted(
    nights, monkeypatch, capsys
) -> None:
    first = nights.dates[0]
    original = nights.original_publications[first]  # the shared copy, read-only
    with duckdb.connect(str(original), read_only=True) as con:
        cursor = con.execute("select * from marts.exceptions order by exception_id")
        columns = [d[0] for d in cursor.description]
        expected = cursor.fetchall()
    assert expected, "the first night published no exception: the test would prove nothing"
    published = nights.settings.published_dir
    deleted = list(published.glob(f"warehouse_{first.isoformat()}_*.duckdb"))
    assert deleted
    for path in deleted:
        path.unlink()

    from backoffice.published import csv_value

    code, out, err = run_cli(
        monkeypatch, capsys, nights, "exceptions", "--as-of", first.isoformat()
    )
    assert code == 0, err
    got = list(csv.reader(io.StringIO(out)))
    assert got[0] == columns
    assert sorted(got[1:]) == sorted([[csv_value(v) for v in row] for row in expected])


def test_history_stores_changes_not_copies(nights) -> None:
    second, third = nights.dates[1:]
    (history_rows, found_on_third, changed_on_third) = read_table(
        nights.settings,
        f"""
        select
            (select count(*) from marts.exception_history),
            (select exceptions_found from marts.judged_nights where as_of = date '{third}'),
            (select count(*) from marts.exception_history where as_of = date '{third}')
        """,
    )[0]
    nights_found = read_table(
        nights.settings, "select sum(exceptions_found) from marts.judged_nights"
    )[0][0]
    assert changed_on_third < found_on_third  # unchanged exceptions add no row
    assert history_rows < nights_found
    kinds = read_table(
        nights.settings,
        f"select distinct change_kind from marts.exception_history where as_of > date '{second}'",
    )
    assert {k for (k,) in kinds} <= {"appeared", "changed", "disappeared"}


def test_a_rerun_of_a_night_appends_a_new_execution(nights, tmp_path) -> None:
    """record_night twice on the third night's warehouse: two executions, the first as it was."""
    from backoffice import publish
    from backoffice.audit.night import record_night
    from backoffice.settings import Settings

    settings = Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(nights.settings.landing_dir),
            "BACKOFFICE_DATA_DIR": str(tmp_path / "data"),
            "BACKOFFICE_AUDIT_DOCS": "0",
        }
    )
    settings.build_warehouse.parent.mkdir(parents=True)
    publish.materialize(publish.current_publication(nights.settings), settings.build_warehouse)
    third = nights.dates[-1]
    query = "select * from audit.control_log where as_of = ? order by recorded_at, control"

    def log() -> list[tuple]:
        with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
            return con.execute(query, [third]).fetchall()

    before = log()
    assert len({row[0] for row in before}) == 1  # one execution of the night so far
    again = record_night(settings, third, "rerun__2026-03-16")
    after = log()
    assert after[: len(before)] == before
    assert {row[0] for row in after[len(before) :]} == {again["execution_id"]}
    assert len(after) == 2 * len(before)
