"""Wall-clock times to UTC instants, with the registry's DST policies."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from backoffice.parsers.localtime import to_utc

ROME = ZoneInfo("Europe/Rome")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_dst_policies_can_pick_the_later_hour_or_reject():
    autumn = datetime(2026, 10, 25, 2, 30)
    spring = datetime(2026, 3, 29, 2, 30)
    assert to_utc(autumn, ROME, ambiguous="later") == utc(2026, 10, 25, 1, 30)
    with pytest.raises(ValueError, match="happens twice in Europe/Rome"):
        to_utc(autumn, ROME, ambiguous="reject")
    with pytest.raises(ValueError, match="does not exist in Europe/Rome"):
        to_utc(spring, ROME, nonexistent="reject")
    # a plain hour is not affected by either policy
    assert to_utc(datetime(2026, 1, 1, 2, 30), ROME, ambiguous="reject") == utc(2026, 1, 1, 1, 30)


def test_other_zones_follow_their_own_rules():
    new_york = ZoneInfo("America/New_York")
    assert to_utc(datetime(2026, 3, 8, 2, 30), new_york) == utc(2026, 3, 8, 7, 30)
    assert to_utc(datetime(2026, 11, 1, 1, 30), new_york) == utc(2026, 11, 1, 5, 30)
    assert to_utc(datetime(2026, 11, 1, 1, 30), new_york, ambiguous="later") == utc(
        2026, 11, 1, 6, 30
    )
