"""The contract's calendar in Python, read from the same seed the warehouse uses."""

from __future__ import annotations

from datetime import date

from backoffice import business_calendar
from backoffice.settings import Settings


def _calendar():
    return business_calendar.load(Settings.from_env({}).dbt_project_dir)


def test_easter_sundays_of_known_years():
    assert business_calendar.easter_sunday(2024) == date(2024, 3, 31)
    assert business_calendar.easter_sunday(2025) == date(2025, 4, 20)
    assert business_calendar.easter_sunday(2026) == date(2026, 4, 5)
    assert business_calendar.easter_sunday(2038) == date(2038, 4, 25)


def test_holidays_follow_the_seed_including_4_october_from_2026():
    calendar = _calendar()
    assert calendar.is_business_day(date(2026, 10, 5))  # a Monday, working
    assert date(2026, 10, 4) in calendar.holidays(2026)
    assert date(2025, 10, 4) not in calendar.holidays(2025)
    assert date(2026, 4, 6) in calendar.holidays(2026)  # Easter Monday
    assert not calendar.is_business_day(date(2026, 4, 6))
    assert not calendar.is_business_day(date(2026, 3, 7))  # Saturday
    assert len(calendar.holidays(2026)) == 12


def test_business_days_count_like_rules_md():
    calendar = _calendar()
    # Entered on a Friday: 1 business day old on the next Monday.
    assert calendar.business_days(date(2026, 3, 6), date(2026, 3, 9)) == 1
    # Over Easter 2026: Thu 2 Apr -> Tue 7 Apr skips Sat, Sun and Easter Monday.
    assert calendar.business_days(date(2026, 4, 2), date(2026, 4, 7)) == 2
    assert calendar.business_days(date(2026, 3, 9), date(2026, 3, 9)) == 0


def test_due_dates_skip_weekends_and_holidays():
    calendar = _calendar()
    assert calendar.add_business_days(date(2026, 3, 2), 5) == date(2026, 3, 9)
    assert calendar.add_business_days(date(2026, 4, 2), 2) == date(2026, 4, 7)
    assert calendar.add_business_days(date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert calendar.add_business_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
