# ruff: noqa: F811 (pytest fixtures imported from review_support, then requested by name)
"""The review app's Feeds page and the queue's feed warning, rendered by the server.

On a private copy of the two published nights (tests/conftest.py), the Feeds page must
show every registry feed as marts.feed_health judged it, and the queue must warn, above
the cases, exactly when the mart has a late or small feed: the mart is edited in the
private publication to have one, then none (the mart's own judgement is proven by
tests/integration/feeds/test_feed_health_week.py).
"""

from __future__ import annotations

import os
import stat

import duckdb
import pytest
from lxml import html as lxml_html
from markupsafe import escape
from review_support import (  # noqa: F401 (fixtures)
    anonymous,
    app,
    auditor,
    auth_manager,
    clerk,
    review_settings,
)

from backoffice import publish
from backoffice.registry import load_registry

pytestmark = pytest.mark.integration

LATE = "alfa/invoices is late: nothing has come for the delivery due by 2026-03-03 (test)."


def _mart(settings) -> dict[str, dict]:
    with duckdb.connect(str(publish.current_publication(settings)), read_only=True) as con:
        cursor = con.execute("select * from marts.feed_health order by registry_position")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def _edit_mart(settings, sql: str, params: list) -> None:
    """Change the private copy's publication (published files are read-only on disk).

    A publication of shared parts (the default) holds the mart as a view over a Parquet part:
    the copy's view is first turned into a table of its own, leaving the part untouched.
    """
    path = publish.current_publication(settings)
    os.chmod(path, os.stat(path).st_mode | stat.S_IWUSR)
    with duckdb.connect(str(path)) as con:
        kind = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'feed_health'"
        ).fetchone()[0]
        if kind == "VIEW":
            con.execute("create table marts.feed_health_edit as select * from marts.feed_health")
            con.execute("drop view marts.feed_health")
            con.execute("alter table marts.feed_health_edit rename to feed_health")
        con.execute(sql, params)


def _warning_box(page_text: str) -> list[str]:
    page = lxml_html.fromstring(page_text)
    return [li.text_content() for li in page.xpath('//section[@class="feed-warnings"]//li')]


def test_the_feeds_page_needs_a_login_and_is_in_the_navigation(anonymous, clerk, auditor):
    assert anonymous.get("/feeds", headers={"accept": "text/html"}).status_code == 303
    assert anonymous.get("/feeds", headers={"accept": "application/json"}).status_code == 401
    queue = lxml_html.fromstring(clerk.get("/").text)
    assert queue.xpath('//nav[@aria-label="Back office"]/a[text()="Feeds"]/@href') == ["/feeds"]
    assert auditor.get("/feeds").status_code == 200  # reading feeds is for every role


def test_the_feeds_page_shows_every_feed_as_the_mart_judged_it(clerk, review_settings):
    mart = _mart(review_settings)
    registry = [f"{s}/{f}" for s, f in load_registry(review_settings.registry_path).feeds()]
    assert list(mart) == registry
    page = lxml_html.fromstring(clerk.get("/feeds").text)
    rows = page.xpath('//table[@aria-label="Feed health"]/tbody/tr')
    assert [r.xpath("string(th)") for r in rows] == registry
    words = {"on_time": "on time", "late": "late", "small": "unusually small",
             "never_delivered": "never delivered", "no_rhythm": "no rhythm"}  # fmt: skip
    for row in rows:
        feed = mart[row.xpath("string(th)")]
        cells = [c.text_content().strip() for c in row.xpath("td")]
        assert cells[0] == words[feed["status"]]
        assert cells[1] == feed["rhythm"]
        assert cells[2] == (
            feed["expected_by_date"].isoformat() if feed["expected_by_date"] else ""
        )
        assert cells[4].startswith(feed["last_delivery_date"].isoformat())
        assert cells[5:7] == [str(feed["period_files"]), str(feed["period_rows"])]
        assert cells[7] == ("" if feed["usual_files"] is None else str(feed["usual_files"]))
    warned = [f["warning"] for f in mart.values() if f["warning"]]
    assert _warning_box(clerk.get("/feeds").text) == warned


def test_the_queue_warns_exactly_when_a_feed_is_late(clerk, review_settings):
    _edit_mart(
        review_settings,
        "update marts.feed_health set status = 'on_time', warning = null, "
        "business_days_late = null",
        [],
    )
    quiet = clerk.get("/")
    assert quiet.status_code == 200 and _warning_box(quiet.text) == []
    assert "Every feed is on its rhythm" in clerk.get("/feeds").text

    _edit_mart(
        review_settings,
        "update marts.feed_health set status = 'late', warning = ?, business_days_late = 5 "
        "where feed_name = 'alfa/invoices'",
        [LATE],
    )
    queue = clerk.get("/")
    assert _warning_box(queue.text) == [LATE]
    assert "1 feed late or unusually small" in queue.text
    assert '<a href="/feeds">See the feeds</a>' in queue.text
    feeds = clerk.get("/feeds").text
    assert _warning_box(feeds) == [LATE]
    assert '<strong class="warn">late</strong>' in feeds and str(escape(LATE)) in feeds
