"""The night's case steps on the shared two-night sample: cases follow what was published."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import duckdb
import pytest
from case_rows import exception_row

from backoffice.cases.night import import_case_state, sync_cases
from backoffice.cases.store import CaseFilter, CaseStore
from backoffice.cases.sync import sync_exceptions
from backoffice.settings import Settings

pytestmark = pytest.mark.integration


def _published(path) -> dict[str, str]:
    with duckdb.connect(str(path), read_only=True) as con:
        query = "select exception_id, status from marts.exceptions"
        return dict(con.execute(query).fetchall())


def test_the_nightly_run_made_every_published_exception_a_case(published_nights):
    publication = published_nights.publications[published_nights.dates[-1]]
    published = _published(publication)
    with CaseStore.open(published_nights.settings) as store:
        cases = {c.exception_id: c for c in store.iter_cases(CaseFilter())}
    assert published and cases.keys() == published.keys()
    for exception_id, status in published.items():
        case = cases[exception_id]
        assert case.exception_status == status
        assert (case.status == "closed") == (status != "open"), exception_id


def test_two_nights_open_close_and_reopen_cases_but_keep_not_an_error(published_nights, tmp_path):
    """Night 1 opens cases; people close two; night 2 closes the settled, reopens one."""
    first, second = published_nights.dates
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})
    settings.published_dir.mkdir(parents=True)
    for as_of in (first, second):
        shutil.copy(published_nights.publications[as_of], settings.published_dir)

    def publish_night(as_of):
        name = published_nights.publications[as_of].name
        (settings.published_dir / "CURRENT").write_text(name + "\n")
        return _published(settings.published_dir / name)

    night_1 = publish_night(first)
    assert sync_cases(settings, first)["opened"] == len(night_1)
    night_2 = _published(published_nights.publications[second])
    still_open = sorted(i for i, s in night_1.items() if s == "open" and night_2.get(i) == "open")
    settled = sorted(i for i, s in night_1.items() if s == "open" and night_2.get(i) != "open")
    assert len(still_open) >= 2 and settled, "the sample must keep and settle exceptions"
    with CaseStore.open(settings) as store:
        store.update([still_open[0]], actor="anna", status="closed", root_cause="not_an_error")
        store.update([still_open[1]], actor="anna", status="closed", root_cause="entry_error")

    publish_night(second)
    result = sync_cases(settings, second)
    assert result["opened"] == len(night_2.keys() - night_1.keys())
    assert result["closed"] == len(settled)
    assert result["reopened"] == 1
    with CaseStore.open(settings) as store:
        assert store.get(still_open[0]).status == "closed"  # people said: not an error
        reopened = store.get(still_open[1])
        assert reopened.status == "in_progress"
        status_rows = [h for h in store.history(still_open[1]) if h.field == "status"]
        assert [(h.actor, h.new_value) for h in status_rows[-2:]] == [
            ("anna", "closed"),
            ("system", "in_progress"),
        ]
        assert "still finds" in status_rows[-1].reason
        for exception_id in settled:
            case = store.get(exception_id)
            assert (case.status, case.closed_by) == ("closed", "system")
            reason = [h for h in store.history(exception_id) if h.field == "status"][-1].reason
            assert f"night of {second}" in reason
        for exception_id in night_2.keys() - night_1.keys():
            assert store.get(exception_id).status in ("new", "closed")
        again = sync_cases(settings, second)
        assert (again["opened"], again["closed"], again["reopened"], again["refreshed"]) == (
            0,
            0,
            0,
            0,
        )


def test_the_case_state_reaches_the_build_typed_even_before_the_first_case(tmp_path):
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})
    settings.build_warehouse.parent.mkdir(parents=True)
    as_of = date(2026, 3, 9)
    assert import_case_state(settings, as_of)["cases"] == 0
    with duckdb.connect(str(settings.build_warehouse)) as con:
        columns = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw' and table_name = 'case_state'"
            ).fetchall()
        )
        assert con.execute("select count(*) from raw.case_state").fetchone() == (0,)
    assert columns["credit_received_eur"] == "DECIMAL(18,2)"
    assert columns["due_date"] == "DATE"
    assert columns["closed_at"] == "TIMESTAMP WITH TIME ZONE"

    with CaseStore.open(settings) as store:
        sync_exceptions(store, as_of, [[exception_row(1), exception_row(2)]])
        store.update(["ex000001"], actor="marco", credit_received_eur="0.10", assignee="marco")
        store.update(["ex000001"], actor="marco", status="closed", root_cause="entry_error")
        closed_at = store.get("ex000001").closed_at
    assert import_case_state(settings, as_of)["cases"] == 2
    with duckdb.connect(str(settings.build_warehouse)) as con:
        con.execute("set TimeZone = 'UTC'")
        row = con.execute(
            "select case_status, assignee, credit_received_eur, closed_at, closed_by, due_date "
            "from raw.case_state where exception_id = 'ex000001'"
        ).fetchone()
    assert row[:3] == ("closed", "marco", Decimal("0.10"))
    assert row[3] == closed_at and row[4] == "marco"
    assert row[5] == date(2026, 3, 16)  # medium: 5 business days after Monday 9 March
