"""A feed's rhythm as the registry states it, and the schedule a night writes from it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from backoffice.feeds.health import NO_RHYTHM, record_feed_schedule
from backoffice.feeds.rhythm import Rhythm, parse_rhythm
from backoffice.registry import load_registry

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("spec", "rhythm", "words"),
    [
        ("business_day", Rhythm("business_day"), "every business day"),
        (
            {"every": "business_day", "grace": 1},
            Rhythm("business_day", grace=1),
            "every business day, 1 business day of grace",
        ),
        (
            {"every": "week", "weekday": "Monday", "grace": 2},
            Rhythm("week", weekday="monday", grace=2),
            "weekly by Monday, 2 business days of grace",
        ),
        ({"every": "month", "day": 3}, Rhythm("month", day=3), "monthly by day 3"),
    ],
)
def test_a_rhythm_reads_and_says_itself(spec, rhythm, words):
    assert parse_rhythm(spec) == rhythm
    assert rhythm.describe() == words


def test_a_weekly_rhythm_counts_weekdays_as_sql_does():
    assert parse_rhythm({"every": "week", "weekday": "monday"}).iso_weekday == 1
    assert parse_rhythm({"every": "week", "weekday": "sunday"}).iso_weekday == 7
    assert parse_rhythm("business_day").iso_weekday is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("daily", "every: 'daily' is not one of"),
        ({"every": "month", "day": 31}, "day: 31 should be a day of the month from 1 to 28"),
        ({"every": "month"}, "day: None should be"),
        ({"every": "week", "weekday": "mon"}, "weekday: 'mon' is not one of"),
        ({"every": "week", "weekday": "monday", "day": 3}, "takes a weekday, not a day"),
        ({"every": "business_day", "grace": -1}, "grace: -1 should be a number of business"),
        ({"every": "business_day", "grace": True}, "grace: True should be"),
        ({"every": "business_day", "weekday": "monday"}, "takes no weekday or day"),
        ({"every": "business_day", "late": 2}, "unknown key(s) ['late']"),
        (3, "expected one of"),
    ],
)
def test_a_wrong_rhythm_is_refused_saying_what_is_wrong(spec, message):
    with pytest.raises(ValueError) as refused:
        parse_rhythm(spec)
    assert message in str(refused.value)


def test_every_shipped_feed_has_a_rhythm():
    registry = load_registry(REPO / "config" / "providers.yml")
    assert all(registry.feed(s, f).rhythm is not None for s, f in registry.feeds())


def test_the_schedule_is_the_registrys_feeds_replaced_each_night(tmp_path):
    registry = load_registry(REPO / "config" / "providers.yml")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        record_feed_schedule(con, registry)
        con.execute("insert into raw.feed_schedule select * from raw.feed_schedule")  # stale
        record_feed_schedule(con, registry)
        rows = con.execute(
            "select source, feed, rhythm_every, rhythm_day, rhythm_grace, rhythm_description "
            "from raw.feed_schedule order by registry_position"
        ).fetchall()
    assert [(s, f) for s, f, *_ in rows] == registry.feeds()
    by_name = {f"{s}/{f}": rest for s, f, *rest in rows}
    assert by_name["alfa/invoices"] == ["month", 3, 0, "monthly by day 3"]
    assert by_name["crm/signed_orders"][0] == "business_day"
    assert NO_RHYTHM not in {r[-1] for r in rows}
