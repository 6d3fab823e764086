"""Money is Decimal, rounded half away from zero, written in the feeds' own formats."""

from __future__ import annotations

from decimal import Decimal

from backoffice.sample.money import fmt2, fmt_it, fmt_it_price, fmt_price, round2


def test_round_half_away_from_zero() -> None:
    assert round2(Decimal("0.125")) == Decimal("0.13")
    assert round2(Decimal("-0.125")) == Decimal("-0.13")
    assert round2(Decimal("2.675")) == Decimal("2.68")
    assert round2(Decimal("0.124999")) == Decimal("0.12")


def test_formats() -> None:
    assert fmt2(Decimal("3")) == "3.00"
    assert fmt2(Decimal("-0.005")) == "-0.01"
    assert fmt_it(Decimal("1234.56")) == "1.234,56"
    assert fmt_it(Decimal("-1234567.891")) == "-1.234.567,89"
    assert fmt_it(Decimal("0.5")) == "0,50"
    assert fmt_price(Decimal("35.9")) == "35.90"
    assert fmt_price(Decimal("0.875")) == "0.875"
    assert fmt_price(Decimal("33.91500")) == "33.915"
    assert fmt_it_price(Decimal("1234.0125")) == "1.234,0125"
