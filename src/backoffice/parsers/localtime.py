"""Naive local times to aware UTC instants, with an explicit DST policy.

Italian exports write wall-clock times. Once a year an hour happens twice
(end of summer time) and once a year an hour never happens (start of summer
time); the registry says what to do with each instead of leaving it to luck.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def to_utc(
    naive: datetime,
    zone: ZoneInfo,
    *,
    ambiguous: str = "earlier",
    nonexistent: str = "shift_forward",
) -> datetime:
    """The UTC instant of wall-clock time `naive` in `zone`.

    ambiguous: "earlier" (the first occurrence, still summer time), "later"
    or "reject". nonexistent: "shift_forward" (read with the offset in force
    before the change: 02:30 on the spring-forward day is 03:30 summer time)
    or "reject". Rejections raise ValueError with a sentence for a person.
    """
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive
    if exists:
        if ambiguous == "reject":
            raise ValueError(f"happens twice in {zone.key} (daylight saving time ends)")
        chosen = first if ambiguous == "earlier" else second
    else:
        if nonexistent == "reject":
            raise ValueError(f"does not exist in {zone.key} (daylight saving time starts)")
        chosen = first
    return chosen.astimezone(UTC)
