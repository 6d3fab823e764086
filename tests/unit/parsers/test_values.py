"""Locale-aware values: Italian numbers, dates, and local times across DST."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from backoffice.parsers.values import LocaleReaders, check_decimal, human_format
from backoffice.registry import Dialect
from backoffice.warehouse.tables import Column

ITALIAN = Dialect(
    encoding="cp1252",
    delimiter=";",
    decimal_mark=",",
    thousands_mark=".",
    date_format="%d/%m/%Y",
    timestamp_format="%d/%m/%Y %H:%M:%S",
    timezone="Europe/Rome",
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "instant"),
    [
        ("28/03/2026 23:00:00", utc(2026, 3, 28, 22)),  # winter time, +01:00
        ("29/03/2026 01:59:59", utc(2026, 3, 29, 0, 59, 59)),  # last winter second
        ("29/03/2026 03:00:00", utc(2026, 3, 29, 1)),  # first summer second, +02:00
        ("29/03/2026 02:30:00", utc(2026, 3, 29, 1, 30)),  # never happened: read as 03:30
        ("25/10/2026 01:30:00", utc(2026, 10, 24, 23, 30)),  # summer time
        ("25/10/2026 02:30:00", utc(2026, 10, 25, 0, 30)),  # happened twice: the first
        ("25/10/2026 03:00:00", utc(2026, 10, 25, 2)),  # winter time again
        ("15/08/2026 12:00:00", utc(2026, 8, 15, 10)),
    ],
)
def test_rome_local_times_become_utc_instants_across_dst(local, instant):
    value = LocaleReaders(ITALIAN).timestamp(local)
    assert value == instant
    assert value.utcoffset().total_seconds() == 0


def test_timestamps_with_an_offset_are_kept_as_the_same_instant():
    iso = LocaleReaders(Dialect(timestamp_format="iso8601", timezone="UTC"))
    assert iso.timestamp("2026-03-29T02:30:00+01:00") == utc(2026, 3, 29, 1, 30)
    assert iso.timestamp("2026-01-31T10:00:00Z") == utc(2026, 1, 31, 10)
    assert iso.timestamp("2026-01-31T10:00:00") == utc(2026, 1, 31, 10)  # naive: the dialect's UTC


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("-3,50", Decimal("-3.50")),
        ("0,0001", Decimal("0.0001")),
        ("12", Decimal("12")),
        (" 7,5 ", Decimal("7.5")),
    ],
)
def test_decimal_comma_with_thousands_dot(text, value):
    read = LocaleReaders(ITALIAN).reader(Column("p", "decimal", precision=18, scale=4))
    assert read(text) == value
    assert isinstance(read(text), Decimal)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("12.5", "is not a number like 1.234,56"),  # a dot is a thousands mark here
        ("1.23,4", "is not a number like 1.234,56"),
        ("1,2,3", "is not a number like 1.234,56"),
        ("abc", "is not a number like 1.234,56"),
        ("1,23456", "has more than 4 decimals"),
        ("123.456.789.012.345,6", "is too large"),
    ],
)
def test_malformed_italian_numbers_are_refused(text, problem):
    read = LocaleReaders(ITALIAN).reader(Column("p", "decimal", precision=18, scale=4))
    with pytest.raises(ValueError, match=problem):
        read(text)


def test_whole_numbers():
    readers = LocaleReaders(ITALIAN)
    assert readers.integer("3") == 3
    assert readers.integer("1.000") == 1000
    for bad in ("due", "2,5", "99.999.999.999"):
        with pytest.raises(ValueError, match=r"whole number|too large"):
            readers.integer(bad)


def test_dates_in_the_dialect_format():
    readers = LocaleReaders(ITALIAN)
    assert readers.date("31/01/2026").isoformat() == "2026-01-31"
    with pytest.raises(ValueError, match="is not a date in the form dd/mm/yyyy"):
        readers.date("2026-01-31")
    with pytest.raises(ValueError, match="dd/mm/yyyy HH:MM:SS"):
        readers.timestamp("31/01/2026 25:00:00")


def test_check_decimal_keeps_trailing_zeros_but_not_lost_digits():
    assert check_decimal(Decimal("1.50000"), 18, 4) == Decimal("1.5")
    with pytest.raises(ValueError):
        check_decimal(Decimal("NaN"), 18, 4)
    assert human_format("%d/%m/%Y %H:%M:%S") == "dd/mm/yyyy HH:MM:SS"
