"""marts.feed_health's rules, one feed per rule, judged by the real dbt models in one build.

A warehouse holds only what the mart reads: the feed schedule a night writes and the
landed files ingest records, crafted by hand around Tuesday 7 April 2026, the day after
Easter Monday (an Italian holiday). Every expected value below is worked out from the
rules of docs/feed-health.md and the calendar, not read from the mart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from backoffice.dbt_runner import run_dbt
from backoffice.feeds.health import SCHEDULE_DDL, read_feed_health
from backoffice.ingest import ensure_raw_schema
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

AS_OF = date(2026, 4, 7)  # Tuesday; Monday 6 April 2026 is Easter Monday
LANDED = (
    "file_path, source, feed, delivery_date, size_bytes, file_sha256, load_id, status, "
    "duplicate_of, rows_read, rows_loaded, rows_quarantined, error, loaded_at"
)
MONDAYS = [date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30)]
BUSINESS_DAYS_TO_2_APRIL = [
    date(2026, 3, 2) + timedelta(days=n)
    for n in range(32)
    if (date(2026, 3, 2) + timedelta(days=n)).weekday() < 5
]
# feed: (every, iso weekday, day, grace, description) and its deliveries (date, files, rows)
FEEDS = {
    "weekly_late": (("week", 1, None, 0, "weekly by Monday"), [(d, 1, 2) for d in MONDAYS]),
    "weekly_early": (
        ("week", 1, None, 0, "weekly by Monday"),
        [(d, 1, 2) for d in MONDAYS] + [(date(2026, 4, 4), 1, 2)],  # a Saturday
    ),
    "daily_grace2": (
        ("business_day", None, None, 2, "every business day, 2 business days of grace"),
        [(d, 1, 5) for d in BUSINESS_DAYS_TO_2_APRIL],
    ),
    "daily_grace1": (
        ("business_day", None, None, 1, "every business day, 1 business day of grace"),
        [(d, 1, 5) for d in BUSINESS_DAYS_TO_2_APRIL],
    ),
    "monthly_small": (
        ("month", None, 3, 0, "monthly by day 3"),
        [
            (date(2026, 1, 5), 10, 30),
            (date(2026, 2, 3), 10, 30),
            (date(2026, 3, 3), 10, 30),
            (date(2026, 4, 3), 1, 2),
        ],
    ),
    "monthly_not_due": (
        ("month", None, 10, 0, "monthly by day 10"),
        [
            (date(2026, 1, 12), 3, 10),
            (date(2026, 2, 10), 3, 10),
            (date(2026, 3, 10), 3, 10),
            (date(2026, 4, 1), 1, 1),
        ],
    ),
    "monthly_never": (("month", None, 3, 0, "monthly by day 3"), []),
    "free": ((None, None, None, 0, "no rhythm (never called late)"), [(date(2026, 3, 2), 1, 4)]),
    "silent": ((None, None, None, 0, "no rhythm (never called late)"), []),
}


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("feed-health-rules")
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(root / "data")})
    warehouse = root / "warehouse.duckdb"
    loaded_at = datetime(2026, 4, 7, 21, 59, 59, tzinfo=UTC)
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        con.execute(SCHEDULE_DDL)
        for position, (feed, ((every, weekday, day, grace, words), deliveries)) in enumerate(
            FEEDS.items(), start=1
        ):
            con.execute(
                "insert into raw.feed_schedule values ('t', ?, 'provider_orders', 'delimited', "
                "?, ?, ?, ?, ?, ?)",
                [feed, every, weekday, day, grace, words, position],
            )
            for delivered, files, rows in deliveries:
                for n in range(files):
                    share = rows // files + (1 if n < rows % files else 0)
                    con.execute(
                        f"insert into raw.landed_files ({LANDED}) "
                        "values (?, 't', ?, ?, 1, ?, ?, 'loaded', null, ?, ?, 0, null, ?)",
                        [f"t/{feed}/{delivered}/f{n}.csv", feed, delivered, f"{feed}{delivered}{n}",
                         f"{delivered}/t/{feed}", share, share, loaded_at],
                    )  # fmt: skip
        # an entry the registry does not expect, in a late feed's folder: no delivery
        con.execute(
            f"insert into raw.landed_files ({LANDED}) values "
            "('t/weekly_late/2026-04-06/notes.txt', 't', 'weekly_late', '2026-04-06', 1, 'x', "
            "'2026-04-07/unexpected', 'unexpected', null, 0, 0, 0, 'unexpected', ?)",
            [loaded_at],
        )
    # cautious: only the tests of what is selected (a singular test may read other marts)
    result = run_dbt(
        settings, "build", "--select", "+feed_health", "--indirect-selection", "cautious",
        as_of=AS_OF, warehouse=warehouse,
    )  # fmt: skip
    built = {r["node"]: r["status"] for r in result.results}  # run_dbt raises on a failure
    assert built["model.backoffice.feed_health"] == "success"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {f.feed: f for f in read_feed_health(con)}


def test_every_feed_of_the_schedule_is_judged_once_in_its_order(judged):
    assert list(judged) == list(FEEDS)
    assert {f.as_of_date for f in judged.values()} == {AS_OF}


def test_a_weekly_feed_due_on_a_holiday_is_due_the_next_business_day_and_late_then(judged):
    late = judged["weekly_late"]
    assert late.status == "late"  # the unexpected file of Easter Monday is no delivery
    assert (late.expected_by_date, late.late_since_date) == (AS_OF, AS_OF)
    assert late.business_days_late == 1
    assert late.last_delivery_date == date(2026, 3, 30)
    assert late.next_due_date == date(2026, 4, 13)
    assert late.warning == (
        "t/weekly_late is late: nothing has come for the delivery due by 2026-04-07 "
        "(weekly by Monday); last delivery 2026-03-30, 1 business day late."
    )


def test_a_weekend_delivery_counts_for_the_weekday_it_precedes(judged):
    early = judged["weekly_early"]
    assert (early.status, early.warning) == ("on_time", None)
    assert early.last_delivery_date == date(2026, 4, 4)


def test_grace_counts_business_days_and_skips_the_holiday(judged):
    # last delivery Thursday 2 April; Friday 3 missing, Monday 6 a holiday, Tuesday 7 missing
    assert judged["daily_grace2"].status == "on_time"
    assert judged["daily_grace2"].expected_by_date == AS_OF
    one = judged["daily_grace1"]
    assert one.status == "late"
    assert one.late_since_date == AS_OF and one.business_days_late == 1
    assert one.usual_rows == 5 and one.usual_periods == 7


def test_a_period_under_a_third_of_the_usual_is_small(judged):
    small = judged["monthly_small"]
    assert small.status == "small"
    assert (small.period_files, small.period_rows) == (1, 2)
    assert (small.usual_files, small.usual_rows, small.usual_periods) == (10, 30, 3)
    assert small.warning == (
        "t/monthly_small is unusually small: 2 rows in 1 file for its period of 2026-04-01, "
        "against a usual 30 rows in 10 files (the median of its previous 3 periods)."
    )


def test_a_period_not_due_yet_is_not_judged_small(judged):
    not_due = judged["monthly_not_due"]
    assert not_due.status == "on_time"
    assert not_due.expected_by_date == date(2026, 3, 10)
    assert not_due.next_due_date == date(2026, 4, 10)
    assert (not_due.period_files, not_due.period_rows) == (3, 10)  # March's, not April's
    assert not_due.last_delivery_date == date(2026, 4, 1)


def test_feeds_without_files_or_without_a_rhythm(judged):
    assert judged["monthly_never"].status == "never_delivered"
    assert judged["monthly_never"].warning == (
        "t/monthly_never has never delivered a file (expected monthly by day 3)."
    )
    assert judged["silent"].warning == "t/silent has never delivered a file."
    assert (judged["free"].status, judged["free"].warning) == ("no_rhythm", None)
    assert judged["free"].expected_by_date is None
