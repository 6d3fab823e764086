"""The contract's business days (RULES.md), in Python, from the same seed dbt reads.

The warehouse computes ages in SQL from `dbt_project/seeds/italian_holidays.csv`;
the case store needs the same calendar for due dates, so it reads that seed
rather than a second list that could drift from it.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

SEED = Path("seeds") / "italian_holidays.csv"


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
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


class BusinessCalendar:
    """Italian national holidays by rule; Monday to Friday otherwise are business days."""

    def __init__(self, rules: list[dict[str, str]]) -> None:
        self._rules = rules
        self._years: dict[int, frozenset[date]] = {}

    @classmethod
    def from_seed(cls, path: Path) -> BusinessCalendar:
        with open(path, encoding="utf-8", newline="") as fh:
            return cls(list(csv.DictReader(fh)))

    def holidays(self, year: int) -> frozenset[date]:
        if year not in self._years:
            days = set()
            for rule in self._rules:
                start = int(rule["valid_from_year"]) if rule.get("valid_from_year") else None
                end = int(rule["valid_to_year"]) if rule.get("valid_to_year") else None
                if (start is not None and year < start) or (end is not None and year > end):
                    continue
                if rule["rule"] == "easter_monday":
                    days.add(easter_sunday(year) + timedelta(days=1))
                elif rule["rule"] == "fixed":
                    days.add(date(year, int(rule["holiday_month"]), int(rule["holiday_day"])))
                else:
                    raise ValueError(f"{SEED}: unknown holiday rule {rule['rule']!r}")
            self._years[year] = frozenset(days)
        return self._years[year]

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays(day.year)

    def add_business_days(self, start: date, days: int) -> date:
        """The business day `days` business days after `start` (RULES.md counts a < d <= b)."""
        if days < 0:
            raise ValueError("business days to add must be >= 0")
        day = start
        while days > 0:
            day += timedelta(days=1)
            if self.is_business_day(day):
                days -= 1
        return day

    def business_days(self, a: date, b: date) -> int:
        """RULES.md's business_days(a, b): the business days d with a < d <= b."""
        count, day = 0, a
        while day < b:
            day += timedelta(days=1)
            count += self.is_business_day(day)
        return count


@lru_cache(maxsize=4)
def load(dbt_project_dir: Path) -> BusinessCalendar:
    """The calendar of the dbt project's seed (cached: the seed changes with a release)."""
    return BusinessCalendar.from_seed(Path(dbt_project_dir) / SEED)
