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

Each rule is declared once with both its judgements: `check` gives the sentence
for a person (the reference), `holds` the same rule over Arrow columns, true only
where it surely holds, for the set-based typing of clean rows
(parsers/arrowtyping.py). A row `holds` does not clear goes through `check`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2099, 12, 31)
CRM_LINE_STATUSES = ("signed", "cancelled")

Name = Callable[[str], str]
Check = Callable[[dict[str, Any], Name], str | None]
# field -> its Arrow column (or scalar) in the rows being judged
Column = Callable[[str], Any]


@dataclass(frozen=True)
class Rule:
    """One rule of the contract: the sentence when a row breaks it, and the same rule over
    Arrow columns (true where it holds; a null field holds, as in `check`)."""

    check: Check
    holds: Callable[[Column], Any] | None = None

    def __call__(self, values: dict[str, Any], name: Name) -> str | None:
        return self.check(values, name)


def _or_null(value: Any, condition: Any) -> Any:
    return pc.or_kleene(pc.is_null(value), condition)


def _positive(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and value <= 0:
            return f"{name(field)} {value} is not greater than zero"
        return None

    return Rule(rule, lambda col: _or_null(col(field), pc.greater(col(field), 0)))


def _not_negative(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and value < 0:
            return f"{name(field)} {value} is negative"
        return None

    return Rule(rule, lambda col: _or_null(col(field), pc.greater_equal(col(field), 0)))


def _one_of(field: str, allowed: tuple[str, ...]) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and value not in allowed:
            return f"{name(field)} {value!r} is not one of {', '.join(allowed)}"
        return None

    def holds(col: Column) -> Any:  # the Arrow array made here, not at import (pandas)
        value = col(field)
        return _or_null(value, pc.is_in(value, value_set=pa.array(allowed, pa.string())))

    return Rule(rule, holds)


def _percent(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            return f"{name(field)} {value} is not a percentage between 0 and 100"
        return None

    def holds(col: Column) -> Any:
        value = col(field)
        return _or_null(value, pc.and_(pc.greater_equal(value, 0), pc.less_equal(value, 100)))

    return Rule(rule, holds)


def _in_range(field: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        value = values.get(field)
        if value is None:
            return None
        day = value.astimezone(UTC).date() if isinstance(value, datetime) else value
        if not DATE_MIN <= day <= DATE_MAX:
            return f"{name(field)} {value.isoformat()} is outside {DATE_MIN} to {DATE_MAX}"
        return None

    def holds(col: Column) -> Any:
        value = col(field)
        day = pc.cast(value, pa.date32(), safe=False)  # an instant's: its UTC day, as `rule`
        inside = pc.and_(pc.greater_equal(day, DATE_MIN), pc.less_equal(day, DATE_MAX))
        return _or_null(value, inside)

    return Rule(rule, holds)


def _ordered(first: str, last: str) -> Rule:
    def rule(values: dict[str, Any], name: Name) -> str | None:
        start, end = values.get(first), values.get(last)
        if start is not None and end is not None and end < start:
            return f"{name(last)} {end.isoformat()} is before {name(first)} {start.isoformat()}"
        return None

    def holds(col: Column) -> Any:
        start, end = col(first), col(last)
        return _or_null(start, _or_null(end, pc.greater_equal(end, start)))

    return Rule(rule, holds)


def _check_cancelled_has_date(values: dict[str, Any], name: Name) -> str | None:
    if values.get("line_status") == "cancelled" and values.get("cancelled_date") is None:
        return f"{name('line_status')} is cancelled but {name('cancelled_date')} is empty"
    return None


def _holds_cancelled_has_date(col: Column) -> Any:
    cancelled = pc.fill_null(pc.equal(col("line_status"), "cancelled"), False)
    return pc.or_(pc.invert(cancelled), pc.is_valid(col("cancelled_date")))


_cancelled_has_date = Rule(_check_cancelled_has_date, _holds_cancelled_has_date)


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


def has_arrow_twins(table: str) -> bool:
    """Whether every rule of `table` has its Arrow twin: if one has not, no row of the table
    can be vouched for set-based, and every row goes through `problems`."""
    return all(rule.holds is not None for rule in RULES.get(table, ()))


def holds_arrow(table: str, column: Column) -> Any:
    """Every rule of `table` over Arrow columns: true where a row surely keeps them all
    (None when the table has no rule). Ask `has_arrow_twins` first."""
    if not has_arrow_twins(table):
        raise ValueError(f"a rule of {table} has no Arrow twin")
    found = [rule.holds(column) for rule in RULES.get(table, ())]
    return functools.reduce(pc.and_kleene, found) if found else None
