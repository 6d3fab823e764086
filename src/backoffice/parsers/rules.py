"""The contract's rules for one input row, judged where the row lands.

A row that parses but breaks a rule of INPUT.md (a quantity that is not
positive, a CRM status nobody defined, a price below zero, a date no delivery
can hold) must not reach the warehouse: loaded, it would make the whole
night's data checks fail and block every good row with it. Each parser asks
`problems(table, values)` before yielding a Record and yields a Rejection
with these sentences instead, so ingest quarantines the row and the night
goes on.

Dates and instants must fall in [DATE_MIN, DATE_MAX]: the reseller's data
starts after 2000, and a year like 1900 or 2999 is a typing or export error,
never a real signature, event or invoice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2099, 12, 31)
CRM_LINE_STATUSES = ("signed", "cancelled")

Name = Callable[[str], str]
Rule = Callable[[dict[str, Any], Name], str | None]


def _positive(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and value <= 0:
            return f"{name(field)} {value} is not greater than zero"
        return None

    return rule


def _not_negative(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and value < 0:
            return f"{name(field)} {value} is negative"
        return None

    return rule


def _one_of(field: str, allowed: tuple[str, ...]) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and value not in allowed:
            return f"{name(field)} {value!r} is not one of {', '.join(allowed)}"
        return None

    return rule


def _percent(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            return f"{name(field)} {value} is not a percentage between 0 and 100"
        return None

    return rule


def _in_range(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is None:
            return None
        day = value.astimezone(UTC).date() if isinstance(value, datetime) else value
        if not DATE_MIN <= day <= DATE_MAX:
            return f"{name(field)} {value.isoformat()} is outside {DATE_MIN} to {DATE_MAX}"
        return None

    return rule


def _ordered(first: str, last: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        start, end = values.get(first), values.get(last)
        if start is not None and end is not None and end < start:
            return f"{name(last)} {end.isoformat()} is before {name(first)} {start.isoformat()}"
        return None

    return rule


def _cancelled_has_date(values: dict[str, Any], name: Name) -> str | None:
    if values.get("line_status") == "cancelled" and values.get("cancelled_date") is None:
        return f"{name('line_status')} is cancelled but {name('cancelled_date')} is empty"
    return None


RULES: dict[str, tuple[Rule, ...]] = {
    "crm_signed_orders": (
        _positive("quantity"),
        _not_negative("unit_price"),
        _percent("vat_rate"),
        _one_of("line_status", CRM_LINE_STATUSES),
        _cancelled_has_date,
        _in_range("signed_date"),
        _in_range("cancelled_date"),
        _ordered("signed_date", "cancelled_date"),
        _in_range("updated_at"),
    ),
    "provider_orders": (
        _positive("quantity"),
        _not_negative("unit_price"),
        _in_range("submitted_at"),
    ),
    "provider_order_events": (_in_range("state_at"),),
    "invoice_lines": (
        _positive("quantity"),
        _percent("vat_rate"),
        _in_range("invoice_date"),
        _in_range("period_start"),
        _in_range("period_end"),
        _ordered("period_start", "period_end"),
    ),
    "invoice_vat_summaries": (
        _percent("vat_rate"),
        _in_range("invoice_date"),
    ),
}


def _same(field: str) -> str:
    return field


def problems(
    table: str, values: dict[str, Any], names: Mapping[str, str] | None = None
) -> list[str]:
    """Every rule of the contract the row breaks, as sentences; empty when it keeps them all.

    `names` gives the file's own name for a field (`quantita`, `Quantita`), so
    the sentence points at what the provider wrote.
    """
    name: Name = (lambda field: names.get(field, field)) if names else _same
    found = []
    for rule in RULES.get(table, ()):
        problem = rule(values, name)
        if problem:
            found.append(problem)
    return found
