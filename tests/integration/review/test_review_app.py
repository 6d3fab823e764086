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


def test_exports_hold_the_filtered_queue_typed_and_formula_safe(clerk, review_settings):
    import csv
    import io

    from openpyxl import load_workbook

    # A customer name that a spreadsheet would run as a formula, as a provider could send it.
    with _db(review_settings) as con:
        target, vat = con.execute(
            "select exception_id, customer_vat from cases where owner = 'provider_billing' "
            "and customer_vat is not null order by exception_id limit 1"
        ).fetchone()
        con.execute(
            "update cases set customer_name = ? where customer_vat = ?", ['=1+2 "Acme"', vat]
        )
        expected = {
            r[0]: Decimal(r[1]) / 100
            for r in con.execute(
                "select exception_id, amount_eur from cases where owner = 'provider_billing'"
            )
        }
    query = {"owner": "provider_billing", "sort": "amount_eur", "dir": "asc"}

    as_csv = clerk.get("/export.csv", params=query)
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["exception_id"]: Decimal(r["amount_eur"]) for r in rows} == expected
    assert [Decimal(r["amount_eur"]) for r in rows] == sorted(expected.values())
    named = next(r for r in rows if r["exception_id"] == target)
    assert named["customer_name"] == '\'=1+2 "Acme"'

    as_xlsx = clerk.get("/export.xlsx", params=query)
    assert as_xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    data = [dict(zip(header, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(data) == len(expected)
    for row in data:
        assert row["amount_eur"].data_type == "n"
        assert (
            Decimal(str(row["amount_eur"].value)).quantize(Decimal("0.01"))
            == expected[row["exception_id"].value]
        )
        assert row["detected_on"].is_date
    cell = next(r["customer_name"] for r in data if r["exception_id"].value == target)
    assert cell.data_type == "s"
    assert cell.value == '=1+2 "Acme"'


def test_customer_page_shows_what_the_customer_is_owed_net_of_credits(clerk, review_settings):
    with _db(review_settings) as con:
        vat, owed = con.execute(
            "select customer_vat, sum(amount_eur - credited_eur) from cases "
            "where exception_status = 'open' and amount_eur > 0 and customer_vat is not null "
            "group by customer_vat order by 2 desc limit 1"
        ).fetchone()
        open_ids = {
            r[0]
            for r in con.execute(
                "select exception_id from cases where customer_vat = ? "
                "and exception_status = 'open'",
                [vat],
            )
        }
    page = clerk.get(f"/customers/{vat}")
    assert page.status_code == 200
    shown = re.search(r'id="owed-net"><strong>([\d,.]+) EUR', page.text).group(1)
    assert Decimal(shown.replace(",", "")) == Decimal(owed) / 100
    assert set(re.findall(r'data-href="/exceptions/([^"]+)"', page.text)) == open_ids


def test_rows_not_loaded_are_listed_with_file_row_reason_and_record(clerk, review_settings):
    import duckdb

    from backoffice import publish

    with duckdb.connect(str(publish.current_publication(review_settings)), read_only=True) as con:
        quarantined = con.execute(
            "select source_file, source_row, reason from marts.quarantined_rows"
        ).fetchall()
        unmapped = con.execute(
            "select provider_state, source_file from marts.unmapped_provider_states"
        ).fetchall()
    page = clerk.get("/ingest")
    assert page.status_code == 200
    assert f"Quarantined rows ({len(quarantined)})" in page.text
    assert f"Unknown provider states ({len(unmapped)})" in page.text
    from markupsafe import escape

    for source_file, source_row, reason in quarantined[:20]:
        assert f"<td>{escape(source_file)}</td><td>{escape(source_row)}</td>" in page.text
        assert escape(reason) in page.text
    for state, _source_file in unmapped[:20]:
        assert f"<strong>{escape(state)}</strong>" in page.text


def test_workload_counts_open_and_overdue_cases_per_assignee(clerk, review_settings):
    from backoffice.review.web import today_in_rome

    today = today_in_rome().isoformat()
    with _db(review_settings) as con:
        open_all, overdue_all = con.execute(
            "select sum(status != 'closed'), sum(status != 'closed' and due_date < ?) from cases",
            [today],
        ).fetchone()
    page = clerk.get("/workload")
    assert page.status_code == 200
    assert re.search(r'id="open-all">(\d+)<', page.text).group(1) == str(open_all)
    assert re.search(r'id="overdue-all">(\d+)<', page.text).group(1) == str(overdue_all)


def test_auditors_trace_an_exception_and_query_the_publication_read_only(auditor, review_settings):
    case_id = _some_case(review_settings)
    trace = auditor.get(f"/trace/{case_id}")
    assert trace.status_code == 200
    assert case_id in trace.text
    answer = auditor.get("/sql", params={"q": "select count(*) as n from marts.exceptions"})
    assert answer.status_code == 200
    import duckdb

    from backoffice import publish

    with duckdb.connect(str(publish.current_publication(review_settings)), read_only=True) as con:
        (count,) = con.execute("select count(*) from marts.exceptions").fetchone()
    assert f"<td>{count}</td>" in answer.text
    refused = auditor.get("/sql", params={"q": "delete from marts.exceptions"})
    assert refused.status_code in (400, 403)


def test_the_glossary_and_the_latest_report_are_one_click_away(clerk, review_settings):
    glossary = clerk.get("/glossary")
    assert glossary.status_code == 200
    for kind in ("ACTIVE_NOT_BILLED", "PRICE_MISMATCH", "ORDER_STUCK"):
        assert kind in glossary.text
    assert "<script" not in glossary.text.split("</head>", 1)[1].replace(
        '<script src="/static/app.js" defer></script>', ""
    )
    latest = clerk.get("/report")
    assert latest.status_code == 200
    assert "Back-office nightly report 2026-03-09" in latest.text


def test_ticked_cases_are_assigned_and_moved_together(clerk, review_settings):
    with _db(review_settings) as con:
        ids = [
            r[0]
            for r in con.execute(
                "select exception_id from cases where status = 'new' order by exception_id desc "
                "limit 3"
            )
        ]
    assert len(ids) == 3
    done = clerk.post(
        "/bulk",
        data={"exception_id": ids[:2], "assignee": "giulia", "status": "in_progress"},
    )
    assert done.status_code == 303
    with _db(review_settings) as con:
        now = {
            i: (assignee, status)
            for i, assignee, status in con.execute(
                f"select exception_id, assignee, status from cases "
                f"where exception_id in ({','.join('?' * 3)})",
                ids,
            )
        }
    assert now[ids[0]] == now[ids[1]] == ("giulia", "in_progress")
    assert now[ids[2]][1] == "new"  # not ticked, not touched
