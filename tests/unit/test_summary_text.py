"""The night's summary says which way money goes in words: no minus sign to decode."""

from datetime import date
from decimal import Decimal

from backoffice.summary import RunSummary, TypeCount, render_text


def _summary() -> RunSummary:
    return RunSummary(
        as_of=date(2026, 3, 9),
        published="warehouse.duckdb",
        by_type=[
            TypeCount("ACTIVE_NOT_BILLED", 2, 0, 0, Decimal("-55.59"), 1),
            TypeCount("PRICE_MISMATCH", 1, 0, 0, Decimal("33.46"), 1),
            TypeCount("ORDER_STUCK", 3, 0, 0, Decimal("0.00"), 0),
        ],
        owed_to_customers_eur=Decimal("33.46"),
        under_billed_eur=Decimal("-125.32"),
        files_loaded=3,
        files_redelivered=0,
        files_unreadable=0,
        rows_loaded=10,
        rows_quarantined=0,
        unmapped_states=0,
    )


def test_figures_are_labelled_by_what_they_mean_and_carry_no_sign():
    text = render_text(_summary())
    rows = {line.split()[0]: line for line in text.splitlines() if line[:1].isupper()}
    assert rows["ACTIVE_NOT_BILLED"].endswith("55.59  under-billed by the provider")
    assert rows["PRICE_MISMATCH"].endswith("33.46  owed to the customer")
    assert rows["ORDER_STUCK"].endswith("0.00  no money at stake")
    assert "Under-billed by providers (open):         EUR 125.32" in text
    assert "-125.32" not in text and "-55.59" not in text


def _feed(name: str, status: str, warning: str | None = None) -> dict:
    source, feed = name.split("/")
    return {
        "source": source, "feed": feed, "status": status, "rhythm": "monthly by day 3",
        "last_delivery_date": "2026-02-03", "period_files": 4, "period_rows": 11,
        "usual_files": 2, "usual_rows": 9, "warning": warning,
    }  # fmt: skip


def test_the_feeds_block_lists_every_feed_then_the_marts_warnings_word_for_word():
    late = "alfa/invoices is late: nothing has come for the delivery due by 2026-03-03."
    feeds = [_feed("alfa/invoices", "late", late), _feed("nuvola/orders", "on_time")]
    summary = RunSummary(**{**_summary().__dict__, "feed_health": feeds, "feed_warnings": [late]})
    lines = render_text(summary).splitlines()
    start = lines.index(
        "Feeds: status, last delivery, files/rows of the judged period and usually, rhythm"
    )
    assert lines[start + 1].split()[:3] == ["alfa/invoices", "LATE", "last"]
    assert "4/11, usually 2/9  (monthly by day 3)" in lines[start + 1]
    assert lines[start + 2].split()[:3] == ["nuvola/orders", "on", "time"]
    assert lines[start + 3] == "Feed warnings (they never block the night):"
    assert lines[start + 4] == f"  ! {late}"


def test_a_night_with_every_feed_on_time_says_so_and_one_without_feed_health_says_nothing():
    on_time = RunSummary(**{**_summary().__dict__, "feed_health": [_feed("a/b", "on_time")]})
    assert "Every feed is on its rhythm and at its usual volume." in render_text(on_time)
    assert "Feeds:" not in render_text(_summary())
