"""A feed's expected delivery rhythm, as the registry states it (`rhythm:` of a feed).

    rhythm: business_day                    # every Italian business day
    rhythm: {every: business_day, grace: 2} # ... tolerating two quiet business days
    rhythm: {every: week, weekday: monday}  # once a week, by Monday
    rhythm: {every: month, day: 5}          # once a month, by the 5th

A due date on a weekend or an Italian holiday moves to the next business day (RULES.md's
calendar), then `grace` business days later (0 by default): an export that only has a file
when something happened may be quiet for a day or two without being late. Feed health
(`marts.feed_health`, docs/feed-health.md) compares a feed's deliveries with its rhythm; a
feed without a rhythm is never called late.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY = ("business_day", "week", "month")
MAX_GRACE = 20  # business days: beyond a month, a rhythm says nothing any more


@dataclass(frozen=True)
class Rhythm:
    """How often a feed delivers: every business day, weekly on a weekday, monthly by a day."""

    every: str
    weekday: str | None = None
    day: int | None = None
    grace: int = 0  # business days a due delivery may be late before the feed is called late

    @property
    def iso_weekday(self) -> int | None:
        """1 (Monday) to 7 (Sunday), as SQL's isodow counts, for a weekly rhythm."""
        return WEEKDAYS.index(self.weekday) + 1 if self.weekday else None

    def describe(self) -> str:
        """The rhythm in words, as the summary, the report and the app show it."""
        if self.every == "week":
            words = f"weekly by {self.weekday.capitalize()}"
        elif self.every == "month":
            words = f"monthly by day {self.day}"
        else:
            words = "every business day"
        if self.grace:
            days = "business day" if self.grace == 1 else "business days"
            words += f", {self.grace} {days} of grace"
        return words


def parse_rhythm(spec: Any) -> Rhythm:
    """The rhythm a registry entry states; ValueError naming what is wrong."""
    if isinstance(spec, str):
        spec = {"every": spec}
    if not isinstance(spec, dict):
        raise ValueError(f"expected one of {list(EVERY)} or a mapping with `every`, got {spec!r}")
    unknown = set(spec) - {"every", "weekday", "day", "grace"}
    if unknown:
        raise ValueError(f"unknown key(s) {sorted(unknown)}; use every, weekday, day, grace")
    every = spec.get("every")
    if every not in EVERY:
        raise ValueError(f"every: {every!r} is not one of {list(EVERY)}")
    grace = spec.get("grace", 0)
    if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= MAX_GRACE:
        raise ValueError(f"grace: {grace!r} should be a number of business days from 0 to 20")
    if every == "week":
        weekday = str(spec.get("weekday", "")).lower()
        if weekday not in WEEKDAYS:
            raise ValueError(f"weekday: {spec.get('weekday')!r} is not one of {list(WEEKDAYS)}")
        if "day" in spec:
            raise ValueError("every: week takes a weekday, not a day")
        return Rhythm("week", weekday=weekday, grace=grace)
    if every == "month":
        day = spec.get("day")
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
            raise ValueError(f"day: {day!r} should be a day of the month from 1 to 28")
        if "weekday" in spec:
            raise ValueError("every: month takes a day, not a weekday")
        return Rhythm("month", day=day, grace=grace)
    if set(spec) - {"every", "grace"}:
        raise ValueError("every: business_day takes no weekday or day")
    return Rhythm("business_day", grace=grace)
