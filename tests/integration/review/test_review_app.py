# ruff: noqa: F811 (pytest fixtures imported from review_support, then requested by name)
"""The review app in process (FastAPI's TestClient) on real cases from two published nights,
behind Airflow's real simple auth manager: what each role may see and do, and that the
figures on the pages are the case store's and the warehouse's."""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal

import pytest
from review_support import (  # noqa: F401 (fixtures)
    AUDITOR,
    CLERK,
    anonymous,
    app,
    auditor,
    auth_manager,
    clerk,
    review_settings,
)

pytestmark = pytest.mark.integration


def _db(settings) -> sqlite3.Connection:
    return sqlite3.connect(settings.cases_url.split("///", 1)[1])


def _some_case(settings, where: str = "1=1") -> str:
    with _db(settings) as con:
        return con.execute(
            f"select exception_id from cases where {where} order by exception_id limit 1"
        ).fetchone()[0]


def test_every_route_needs_an_airflow_login(anonymous, review_settings):
    case_id = _some_case(review_settings)
    for path in ("/", f"/exceptions/{case_id}", "/workload", "/ingest", "/glossary",
                 "/export.csv", "/static/app.js"):  # fmt: skip
        page = anonymous.get(path, headers={"accept": "text/html"})
        assert page.status_code == 303, path
        assert page.headers["location"].startswith("/auth/login?next="), path
        assert anonymous.get(path, headers={"accept": "application/json"}).status_code == 401


def test_writes_are_refused_to_auditors_and_anonymous_whatever_the_method(
    auditor, anonymous, review_settings
):
    case_id = _some_case(review_settings)
    with _db(review_settings) as con:
        before = con.execute("select count(*) from case_history").fetchone()[0]
    form = {"assignee": CLERK, "note": "auditor tries to write"}
    for path in (f"/exceptions/{case_id}", "/bulk"):
        refused = auditor.post(path, data={**form, "exception_id": case_id})
        assert refused.status_code == 403, path
        assert "may read cases but not change them" in refused.text
        assert anonymous.post(path, data=form).status_code == 401
        for method in ("put", "patch", "delete"):
            assert getattr(auditor, method)(path).status_code in (403, 405), (method, path)
    with _db(review_settings) as con:
        assert con.execute("select count(*) from case_history").fetchone()[0] == before
        assert con.execute("select count(*) from case_notes").fetchone()[0] == 0 or all(
            text != form["note"] for (text,) in con.execute("select text from case_notes")
        )


def test_auditor_reads_everything_but_sees_no_form_to_write(auditor, review_settings):
    case_id = _some_case(review_settings)
    queue = auditor.get("/")
    page = auditor.get(f"/exceptions/{case_id}")
    assert queue.status_code == page.status_code == 200
    assert "read-only" in queue.text
    for html in (queue.text, page.text):
        assert 'method="post"' not in html
        assert AUDITOR in html


def test_queue_totals_are_those_of_the_whole_filter(clerk, review_settings):
    with _db(review_settings) as con:
        count, owed = con.execute(
            "select count(*), coalesce(sum(case when exception_status = 'open' and amount_eur > 0"
            " then amount_eur - credited_eur else 0 end), 0) from cases"
            " where owner = 'provider_billing'"
        ).fetchone()
    assert count > 0
    page = clerk.get("/", params={"owner": "provider_billing"})
    assert page.status_code == 200
    shown_count = re.search(r'id="total-count">(\d+)<', page.text).group(1)
    shown_owed = re.search(r'id="total-owed" class="owed">([\d,.]+)<', page.text).group(1)
    assert int(shown_count) == count
    assert Decimal(shown_owed.replace(",", "")) == Decimal(owed) / 100
    assert page.text.count('data-href="') == min(count, 50)


def test_keyset_pages_cover_the_filter_once(clerk, review_settings):
    with _db(review_settings) as con:
        expected = {r[0] for r in con.execute("select exception_id from cases")}
    seen: list[str] = []
    url = "/?sort=amount_eur&dir=asc"
    for _ in range(50):
        page = clerk.get(url)
        seen += re.findall(r'data-href="/exceptions/([^"]+)"', page.text)
        following = re.search(r'id="next-page" rel="next" href="|href="(/\?[^"]+)" id="next-page"',
                              page.text)  # fmt: skip
        if not following:
            break
        url = following.group(1).replace("&amp;", "&")
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected


def test_clerk_assigns_notes_and_closes_a_case_and_history_keeps_each_step(clerk, review_settings):
    case_id = _some_case(review_settings, "status = 'new'")
    assert clerk.post(f"/exceptions/{case_id}", data={"assignee": "marco"}).status_code == 303
    note = '=HYPERLINK("http://x") called the provider'
    assert clerk.post(f"/exceptions/{case_id}", data={"note": note}).status_code == 303
    closed = clerk.post(
        f"/exceptions/{case_id}", data={"status": "closed", "root_cause": "provider_delay"}
    )
    assert closed.status_code == 303
    with _db(review_settings) as con:
        status, assignee, cause = con.execute(
            "select status, assignee, root_cause from cases where exception_id = ?", [case_id]
        ).fetchone()
        history = con.execute(
            "select actor, field, old_value, new_value from case_history "
            "where exception_id = ? and actor = ? order by history_id",
            [case_id, CLERK],
        ).fetchall()
        notes = con.execute(
            "select actor, text from case_notes where exception_id = ?", [case_id]
        ).fetchall()
    assert (status, assignee, cause) == ("closed", "marco", "provider_delay")
    changes = [(field, new) for _, field, _, new in history]
    people_fields = [c for c in changes if c[0] in ("assignee", "root_cause", "status")]
    assert people_fields == [
        ("assignee", "marco"),
        ("root_cause", "provider_delay"),
        ("status", "closed"),
    ]
    assert ("closed_by", CLERK) in changes
    assert notes == [(CLERK, note)]
    page = clerk.get(f"/exceptions/{case_id}")
    assert "provider_delay" in page.text and "called the provider" in page.text
    # The note is text on the page, never markup.
    assert "=HYPERLINK(&#34;http://x&#34;)" in page.text or "=HYPERLINK(&quot;" in page.text


def test_a_move_the_store_refuses_is_said_plainly_and_changes_nothing(clerk, review_settings):
    case_id = _some_case(review_settings, "status = 'new'")
    refused = clerk.post(
        f"/exceptions/{case_id}", data={"status": "closed"}, headers={"accept": "text/html"}
    )
    assert refused.status_code == 400
    assert "closing needs a root cause" in refused.text
    with _db(review_settings) as con:
        assert con.execute(
            "select status from cases where exception_id = ?", [case_id]
        ).fetchone() == ("new",)


def test_a_write_from_another_site_is_refused(clerk, review_settings):
    case_id = _some_case(review_settings)
    forged = clerk.post(
        f"/exceptions/{case_id}",
        data={"assignee": "marco"},
        headers={"origin": "http://evil.example"},
    )
    assert forged.status_code == 403
