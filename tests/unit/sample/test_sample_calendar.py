"""The business calendar facts RULES.md relies on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backoffice.sample.calendar import (
    add_business_days,
    business_days,
    dst_change_days,
    easter_sunday,
    holidays,
    is_business_day,
    rome_date,
)


def test_friday_to_monday_is_one_business_day() -> None:
    assert business_days(date(2026, 1, 16), date(2026, 1, 19)) == 1


def test_counts_a_exclusive_b_inclusive() -> None:
    assert business_days(date(2026, 1, 12), date(2026, 1, 12)) == 0
    assert business_days(date(2026, 1, 12), date(2026, 1, 13)) == 1
    assert business_days(date(2026, 1, 13), date(2026, 1, 12)) == 0
    assert business_days(date(2026, 1, 10), date(2026, 1, 11)) == 0  # a weekend
    assert business_days(date(2026, 1, 9), date(2026, 1, 23)) == 10


@pytest.mark.parametrize(
    ("year", "easter_monday"),
    [(2025, date(2025, 4, 21)), (2026, date(2026, 4, 6)), (2027, date(2027, 3, 29))],
)
def test_easter_monday(year: int, easter_monday: date) -> None:
    assert easter_sunday(year).isoformat() < easter_monday.isoformat()
    assert easter_monday in holidays(year)
    assert not is_business_day(easter_monday)


def test_easter_monday_is_skipped() -> None:
    assert business_days(date(2026, 4, 3), date(2026, 4, 7)) == 1  # Fri -> Tue over Easter Monday
    assert business_days(date(2027, 3, 26), date(2027, 3, 30)) == 1


def test_saint_francis_from_2026() -> None:
    assert date(2027, 10, 4).weekday() == 0
    assert not is_business_day(date(2027, 10, 4))
    assert business_days(date(2027, 10, 1), date(2027, 10, 5)) == 1
    assert date(2024, 10, 4) not in holidays(2024)  # a Friday, before Legge 151/2025
    assert is_business_day(date(2024, 10, 4))


def test_christmas_and_saint_stephen() -> None:
    assert not is_business_day(date(2025, 12, 25))
    assert not is_business_day(date(2025, 12, 26))
    assert business_days(date(2025, 12, 24), date(2025, 12, 29)) == 1
    assert business_days(date(2025, 12, 31), date(2026, 1, 7)) == 3  # 1 and 6 January


def test_business_days_agrees_with_stepping() -> None:
    start = date(2025, 11, 20)
    for n in range(0, 80):
        end = add_business_days(start, n)
        assert business_days(start, end) == n


def test_rome_date_and_dst_days() -> None:
    assert rome_date(datetime(2026, 1, 15, 23, 30, tzinfo=UTC)) == date(2026, 1, 16)
    assert rome_date(datetime(2026, 7, 15, 21, 59, tzinfo=UTC)) == date(2026, 7, 15)
    assert rome_date(datetime(2026, 7, 15, 22, 0, tzinfo=UTC)) == date(2026, 7, 16)
    assert dst_change_days(date(2025, 10, 1), date(2026, 4, 30)) == [
        date(2025, 10, 26),
        date(2026, 3, 29),
    ]
