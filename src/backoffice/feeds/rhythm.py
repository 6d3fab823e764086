"""A feed's expected delivery rhythm, as the registry states it (`rhythm:` of a feed).

    rhythm: business_day            # every Italian business day
    rhythm: {every: week, weekday: monday}
    rhythm: {every: month, day: 5}  # by the 5th of each month

Feed health (backoffice.feeds.health) compares a feed's deliveries with it; a feed
without a rhythm is never called late.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY = ("business_day", "week", "month")


@dataclass(frozen=True)
class Rhythm:
    """How often a feed delivers: every business day, weekly on a weekday, monthly by a day."""

    every: str
    weekday: str | None = None
    day: int | None = None


def parse_rhythm(spec: Any) -> Rhythm:
    """The rhythm a registry entry states; ValueError naming what is wrong."""
    if isinstance(spec, str):
        spec = {"every": spec}
    if not isinstance(spec, dict):
        raise ValueError(f"expected one of {list(EVERY)} or a mapping with `every`, got {spec!r}")
    unknown = set(spec) - {"every", "weekday", "day"}
    if unknown:
        raise ValueError(f"unknown key(s) {sorted(unknown)}; use every, weekday, day")
    every = spec.get("every")
    if every not in EVERY:
        raise ValueError(f"every: {every!r} is not one of {list(EVERY)}")
    if every == "week":
        weekday = str(spec.get("weekday", "")).lower()
        if weekday not in WEEKDAYS:
            raise ValueError(f"weekday: {spec.get('weekday')!r} is not one of {list(WEEKDAYS)}")
        return Rhythm("week", weekday=weekday)
    if every == "month":
        day = spec.get("day")
        if not isinstance(day, int) or not 1 <= day <= 28:
            raise ValueError(f"day: {day!r} should be a day of the month from 1 to 28")
        return Rhythm("month", day=day)
    if set(spec) - {"every"}:
        raise ValueError("every: business_day takes no weekday or day")
    return Rhythm("business_day")
