"""Money as Decimal with the contract's rounding (half away from zero) and formats.

RULES.md rounds every amount half away from zero; Python's ROUND_HALF_UP is that
rule for Decimals (the default context would round half to even).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
AMOUNT_TOLERANCE = CENT  # RULES.md: differences of a cent or less are not reported


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt2(value: Decimal) -> str:
    """Two decimals, dot: the ledger's and FatturaPA's amount format."""
    return f"{round2(value):f}"


def fmt_price(value: Decimal) -> str:
    """A unit price with 2 to 4 decimals (dot), as the CRM and TMF622 carry it."""
    text = f"{value.quantize(Decimal('0.0001')):f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text


def fmt_it(value: Decimal, places: int = 2) -> str:
    """Italian locale: decimal comma, dot thousands (1.234,56)."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if places else f"{sign}{text}"


def fmt_it_price(value: Decimal) -> str:
    """A unit price in Italian locale with 2 to 4 decimals."""
    places = len(fmt_price(value).split(".")[1])
    return fmt_it(value, places)
