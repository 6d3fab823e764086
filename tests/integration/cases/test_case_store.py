"""The case store on SQLite and on a real PostgreSQL: the same behaviour, the same guarantees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import case_fixtures
import pytest
import sqlalchemy
from case_rows import exception_row

from backoffice.cases.people import NotAllowedError
from backoffice.cases.store import SORT_KEYS, CaseError, CaseFilter, CaseStore
from backoffice.cases.sync import sync_exceptions

pytestmark = pytest.mark.integration
# The fixtures, SQLite and PostgreSQL (see case_fixtures for why not a conftest.py).
case_settings = case_fixtures.case_settings
postgres_server = case_fixtures.postgres_server
NIGHT_1, NIGHT_2, NIGHT_3 = date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 10)


@pytest.fixture
def store(case_settings):
    with CaseStore.open(case_settings) as opened:
        yield opened


def _sync(store, as_of, rows):
    return sync_exceptions(store, as_of, [rows])


def test_the_night_opens_closes_and_reopens_cases_with_reasons(store):
    first = [exception_row(i) for i in range(4)]
    result = _sync(store, NIGHT_1, first)
    assert (result.opened, result.closed, result.reopened) == (4, 0, 0)
    assert {c.status for c in store.iter_cases()} == {"new"}
    # Night 1's due date: medium = 5 business days after Monday 2 March 2026.
    assert store.get("ex000000").due_date == date(2026, 3, 9)

    # People: one case is "not an error", another was an entry error they fixed.
    store.update(["ex000001"], actor="marco", status="closed", root_cause="not_an_error")
    store.update(["ex000002"], actor="marco", status="closed", root_cause="entry_error")

    second = [
        exception_row(0, status="resolved", as_of=NIGHT_2),
        exception_row(1, as_of=NIGHT_2),
        exception_row(2, as_of=NIGHT_2),
        exception_row(3, status="credited", as_of=NIGHT_2),
        exception_row(4, as_of=NIGHT_2),
    ]
    result = _sync(store, NIGHT_2, second)
    assert (result.opened, result.closed, result.reopened) == (1, 2, 1)
    assert store.get("ex000000").status == "closed"
    assert store.get("ex000000").closed_by == "system"
    assert "no longer found" in store.history("ex000000")[-2].reason
    assert "credited" in [h for h in store.history("ex000003") if h.field == "status"][-1].reason
    assert store.get("ex000001").status == "closed", "not_an_error is not reopened"
    reopened = store.get("ex000002")
    assert (reopened.status, reopened.closed_by) == ("in_progress", None)
    assert "still finds" in [h for h in store.history("ex000002") if h.field == "status"][-1].reason
    assert store.get("ex000004").status == "new"

    # A rerun of the same night changes nothing; an older night changes nothing either.
    before = [(c, store.history(c.exception_id)) for c in store.iter_cases()]
    again = _sync(store, NIGHT_2, second)
    assert (again.opened, again.closed, again.reopened, again.refreshed) == (0, 0, 0, 0)
    assert _sync(store, NIGHT_1, first).outcome == "skipped_older_night"
    assert [(c, store.history(c.exception_id)) for c in store.iter_cases()] == before

    # The system closed ex000000; the next night finds it again: reopened, and it says so.
    third = [exception_row(0, as_of=NIGHT_3), exception_row(1, status="resolved", as_of=NIGHT_3)]
    result = _sync(store, NIGHT_3, third)
    assert result.reopened == 1
    case = store.get("ex000000")
    assert case.status == "in_progress"
    assert case.due_date == date(2026, 3, 17)  # due again from the reopening night
    status_rows = [h for h in store.history("ex000000") if h.field == "status"]
    assert [(h.old_value, h.new_value) for h in status_rows] == [
        (None, "new"),
        ("new", "closed"),
        ("closed", "in_progress"),
    ]
    assert "finds the exception again" in status_rows[-1].reason
    assert store.get("ex000001").status == "closed"


def test_people_changes_are_history_and_notes_are_appended(store):
    _sync(store, NIGHT_1, [exception_row(i) for i in range(3)])
    changed = store.update(
        ["ex000000", "ex000001"],
        actor="anna",
        status="waiting_provider",
        assignee="marco",
        note='=HYPERLINK("http://x") claim sent to Alfa',
        credit_expected_eur="12.50",
    )
    assert changed == 2
    case = store.get("ex000000")
    assert (case.status, case.assignee, case.credit_expected_eur) == (
        "waiting_provider",
        "marco",
        Decimal("12.50"),
    )
    rows = {(h.actor, h.field, h.old_value, h.new_value) for h in store.history("ex000000")}
    assert ("anna", "status", "new", "waiting_provider") in rows
    assert ("anna", "assignee", None, "marco") in rows
    assert ("anna", "credit_expected_eur", None, "12.50") in rows
    store.update(["ex000000"], actor="marco", note="second note")
    assert [n.text for n in store.notes("ex000000")] == [
        '=HYPERLINK("http://x") claim sent to Alfa',
        "second note",
    ]
    assert store.latest_notes(["ex000000", "ex000002"])["ex000000"].text == "second note"
    store.append_event(
        "ex000000", actor="system", field="claim_sent", old_value=None, new_value="C-1"
    )
    assert store.history("ex000000")[-1].field == "claim_sent"
    untouched = store.get("ex000002")
    assert (untouched.status, untouched.assignee) == ("new", None)


def test_moves_roles_and_values_are_refused_and_nothing_is_written(store):
    _sync(store, NIGHT_1, [exception_row(0), exception_row(1, owner="back_office")])
    history_before = store.history("ex000000")
    refusals = [
        (dict(actor="sara", note="auditors read"), NotAllowedError, "only reads"),
        (dict(actor="mallory", note="who?"), NotAllowedError, "not a person"),
        (dict(actor="anna", status="closed"), CaseError, "root cause"),
        (dict(actor="anna", status="finished"), CaseError, "unknown status"),
        (dict(actor="anna", root_cause="gremlins"), CaseError, "unknown root cause"),
        (dict(actor="anna", assignee="sara"), CaseError, "only reads"),
    ]
    for kwargs, error, words in refusals:
        with pytest.raises(error, match=words):
            store.update(["ex000000"], **kwargs)
    with pytest.raises(CaseError, match="no case"):
        store.update(["ex000000", "nope"], actor="anna", note="x")
    with pytest.raises(CaseError, match="billing exceptions only"):
        store.update(["ex000000", "ex000001"], actor="anna", credit_received_eur="5")
    store.update(["ex000000"], actor="anna", status="closed", root_cause="entry_error")
    with pytest.raises(CaseError, match="cannot move to waiting_provider"):
        store.update(["ex000000"], actor="anna", status="waiting_provider")
    # Reopening by a person is allowed: closed -> in_progress.
    store.update(["ex000000"], actor="lucia", status="in_progress")
    assert store.get("ex000000").status == "in_progress"
    assert len(store.history("ex000000")) > len(history_before)
    assert store.notes("ex000000") == []
    assert store.notes("ex000001") == []


def test_history_notes_and_cases_refuse_direct_update_and_delete(store, case_settings):
    _sync(store, NIGHT_1, [exception_row(0)])
    store.update(["ex000000"], actor="anna", note="kept")
    engine = sqlalchemy.create_engine(case_settings.cases_url)
    statements = [
        "update case_history set actor = 'someone else'",
        "delete from case_history",
        "update case_notes set text = 'rewritten'",
        "delete from case_notes",
        "delete from cases",
    ]
    if engine.dialect.name == "postgresql":
        statements.append("truncate case_history")
    try:
        for statement in statements:
            with pytest.raises(sqlalchemy.exc.DatabaseError), engine.begin() as conn:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()
    assert [n.text for n in store.notes("ex000000")] == ["kept"]
    assert store.history("ex000000")[0].actor == "system"
    assert store.get("ex000000") is not None


def test_keyset_pages_cover_every_case_once_for_every_sort_key(store):
    rows = [
        exception_row(
            i,
            amount_cents=(i % 5) * 1001 - 2000,
            severity=("high", "medium", "low")[i % 3],
            provider=("alfa", "nuvola")[i % 2],
            detected_on=date(2026, 2, 20 + i % 5),
        )
        for i in range(45)
    ]
    _sync(store, NIGHT_1, rows)
    store.bulk_update(CaseFilter(provider=("nuvola",)), actor="lucia", assignee="giulia")
    for sort in SORT_KEYS:
        for descending in (True, False):
            seen, cursor = [], None
            while True:
                page = store.query(sort=sort, descending=descending, after=cursor, limit=7)
                seen.extend(page.rows)
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert len(seen) == 45 and len({c.exception_id for c in seen}) == 45, sort
            full = store.query(sort=sort, descending=descending, limit=100).rows
            assert [c.exception_id for c in seen] == [c.exception_id for c in full], sort
    page = store.query(CaseFilter(provider=("alfa",)), limit=5)
    alfa = [r for r in rows if r[3] == "alfa"]
    assert page.total_count == len(alfa)
    assert page.total_amount_eur == sum(Decimal(r[14]) / 100 for r in alfa)
    assert page.total_owed_eur == sum(Decimal(r[14]) / 100 for r in alfa if r[14] > 0)
    assert isinstance(page.total_amount_eur, Decimal)
    with pytest.raises(CaseError, match="stale or damaged"):
        store.query(sort="amount_eur", after=store.query(sort="provider", limit=1).next_cursor)


def test_bulk_and_workload(store):
    rows = [exception_row(i, exception_type="DUPLICATE_CHARGE") for i in range(6)]
    rows += [exception_row(10 + i, provider="nuvola") for i in range(3)]
    _sync(store, NIGHT_1, rows)
    flt = CaseFilter(provider=("alfa",), exception_type=("DUPLICATE_CHARGE",), status=("new",))
    assert store.bulk_update(flt, actor="lucia", assignee="marco", note="all yours") == 6
    assert store.query(CaseFilter(assignee=("marco",))).total_count == 6
    assert store.query(CaseFilter(assignee=("",))).total_count == 3
    assert len(store.notes("ex000003")) == 1
    load = {w.assignee: w for w in store.workload(date(2026, 3, 10))}
    assert load["marco"].open_cases == 6
    assert load["marco"].overdue_cases == 6  # due 9 March, today 10 March
    assert load["marco"].at_stake_eur == Decimal("60.00")
    assert store.workload(date(2026, 3, 5))[0].overdue_cases == 0
    assert store.query(CaseFilter(overdue=True, today=date(2026, 3, 10))).total_count == 9


def test_text_search_ignores_case_and_treats_wildcards_as_text(store):
    _sync(store, NIGHT_1, [exception_row(i) for i in range(14)])
    assert store.query(CaseFilter(text="CLIENTE 3")).total_count == 2  # 3 and 10
    assert store.query(CaseFilter(text="so-2026-000012")).total_count == 1
    assert store.query(CaseFilter(text="%")).total_count == 0
    assert store.query(CaseFilter(text="_")).total_count == 0


def test_the_sync_keeps_published_text_exactly(store):
    awkward = "billed 1.00\texpected 0.50\nline two \\N back\\slash, «accents» and ''quotes''"
    _sync(store, NIGHT_1, [exception_row(0, evidence=awkward), exception_row(1, evidence="")])
    assert store.get("ex000000").evidence == awkward
    assert store.get("ex000001").evidence == ""
    assert store.get("ex000001").period_month is None


def test_the_case_state_import_types_the_store_values_on_both_stores(store, case_settings):
    import duckdb

    from backoffice.cases.night import import_case_state

    case_settings.build_warehouse.parent.mkdir(parents=True, exist_ok=True)
    _sync(store, NIGHT_2, [exception_row(1), exception_row(2)])
    store.update(["ex000001"], actor="marco", credit_expected_eur="1234567.89", assignee="anna")
    store.update(["ex000001"], actor="marco", status="closed", root_cause="entry_error")
    case = store.get("ex000001")
    assert import_case_state(case_settings, NIGHT_2)["cases"] == 2
    with duckdb.connect(str(case_settings.build_warehouse)) as con:
        con.execute("set TimeZone = 'UTC'")
        rows = con.execute(
            "select exception_id, case_status, assignee, due_date, credit_expected_eur, "
            "credit_received_eur, opened_at, closed_at, closed_by from raw.case_state "
            "order by exception_id"
        ).fetchall()
    assert rows[0] == (
        "ex000001",
        "closed",
        "anna",
        date(2026, 3, 16),
        Decimal("1234567.89"),
        None,
        case.opened_at,
        case.closed_at,
        "marco",
    )
    assert rows[1][1:4] == ("new", None, date(2026, 3, 16))
