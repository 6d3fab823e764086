"""Figures in words a manager reads without a footnote.

RULES.md signs every amount the same way: positive, the customer was charged more than
agreed and is owed it; negative, less was billed than agreed (the provider under-billed).
The app and the report say that once and then label each figure by what it means, showing
its size without a minus sign: "owed to the customer 125.32", "under-billed by the provider
125.32", never "-125.32".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SIGN_CONVENTION = (
    "Amounts are in euro, net of VAT. Each figure says what it means: "
    "'owed to the customer' when the customer was charged more than agreed "
    "(the provider must credit it), 'under-billed by the provider' when less was billed "
    "than agreed (no customer is owed anything; the provider may bill it later)."
)

CENT = Decimal("0.01")


def eur(value: Decimal | int | float | str | None) -> str:
    """A euro figure with two decimals and thousands separators, no sign."""
    if value is None:
        return "\u2014"
    amount = abs(Decimal(str(value))).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}"


def amount_meaning(amount: Decimal | None, exception_type: str = "") -> str:
    """What a signed amount means, in the back office's words."""
    if amount is None or Decimal(str(amount)) == 0:
        return "no money at stake"
    if Decimal(str(amount)) > 0:
        if exception_type == "ORDER_ENTRY_MISMATCH":
            return "customer would be overcharged by"
        return "owed to the customer"
    if exception_type == "ORDER_ENTRY_MISMATCH":
        return "customer would be undercharged by"
    if exception_type == "UNMATCHED_CREDIT":
        return "credited by the provider, matching no exception"
    if exception_type == "VAT_ERROR":
        return "VAT under-billed by the provider"
    return "under-billed by the provider"


def labelled(amount: Decimal | None, exception_type: str = "") -> str:
    """'owed to the customer 125.32 EUR', 'under-billed by the provider 125.32 EUR'."""
    meaning = amount_meaning(amount, exception_type)
    if meaning == "no money at stake":
        return meaning
    return f"{meaning} {eur(amount)} EUR"


def direction(amount: Decimal | None) -> str:
    """A CSS class for the figure: owed (red), under (grey-blue), none."""
    if amount is None or Decimal(str(amount)) == 0:
        return "none"
    return "owed" if Decimal(str(amount)) > 0 else "under"


def net_label(total: Decimal | None) -> str:
    """The signed sum of many amounts, in words: which way the balance leans."""
    if total is None or Decimal(str(total)) == 0:
        return "balanced (0.00 EUR)"
    if Decimal(str(total)) > 0:
        return f"net overcharged to customers {eur(total)} EUR"
    return f"net under-billed by providers {eur(total)} EUR"
