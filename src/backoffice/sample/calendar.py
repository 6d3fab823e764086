"""The business calendar of RULES.md: Italian holidays, business days, Rome dates.

Shared by the generator (to place events inside or outside the SLAs) and by the
oracle (to judge them); both must count days the way the contract does.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")

_FIXED_HOLIDAYS = (
    (1, 1),
    (1, 6),
    (4, 25),
    (5, 1),
    (6, 2),
    (8, 15),
    (11, 1),
    (12, 8),
    (12, 25),
    (12, 26),
)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous algorithm); Easter Monday is the day after."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """Italian national holidays; 4 October (San Francesco) counts from 2026."""
    days = {date(year, m, d) for m, d in _FIXED_HOLIDAYS}
    days.add(easter_sunday(year) + timedelta(days=1))
    if year >= 2026:
        days.add(date(year, 10, 4))
    return frozenset(days)


def is_business_day(d: date) -> bool:
    return d.weekday() < 5 and d not in holidays(d.year)


def business_days(a: date, b: date) -> int:
    """Business days d with a < d <= b (0 when b <= a), as RULES.md counts ages."""
    if b <= a:
        return 0
    full_weeks, rest = divmod((b - a).days, 7)
    count = full_weeks * 5
    d = a + timedelta(days=full_weeks * 7)
    for _ in range(rest):
        d += timedelta(days=1)
        if d.weekday() < 5:
            count += 1
    for year in range(a.year, b.year + 1):
        count -= sum(1 for h in holidays(year) if a < h <= b and h.weekday() < 5)
    return count


def add_business_days(d: date, n: int) -> date:
    """The date n business days after d (before it when n < 0); n=0 rolls forward."""
    step = 1 if n >= 0 else -1
    if n == 0:
        while not is_business_day(d):
            d += timedelta(days=1)
        return d
    remaining = abs(n)
    while remaining:
        d += timedelta(days=step)
        if is_business_day(d):
            remaining -= 1
    return d


def next_business_day_on_or_after(d: date) -> date:
    return add_business_days(d, 0)


def rome_date(moment: datetime) -> date:
    """A timestamp's date is its calendar date in Europe/Rome (RULES.md)."""
    return moment.astimezone(ROME).date()


def rome_moment(d: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An aware UTC instant for a Rome wall-clock time (never in a DST gap/fold here)."""
    local = datetime.combine(d, time(hour, minute, second), tzinfo=ROME)
    return local.astimezone(UTC)


def month_start(d: date) -> date:
    return d.replace(day=1)


def days_in_month(d: date) -> int:
    return _stdlib_calendar.monthrange(d.year, d.month)[1]


def month_end(d: date) -> date:
    return d.replace(day=days_in_month(d))


def next_month(d: date) -> date:
    """First day of the month after d's month."""
    return month_end(d) + timedelta(days=1)


def dst_change_days(start: date, end: date) -> list[date]:
    """Days in [start, end] on which Rome's UTC offset changes (last Sunday of Mar/Oct)."""
    days = []
    for year in range(start.year, end.year + 1):
        for month in (3, 10):
            last = date(year, month, days_in_month(date(year, month, 1)))
            sunday = last - timedelta(days=(last.weekday() - 6) % 7)
            if start <= sunday <= end:
                days.append(sunday)
    return sorted(days)
