"""Header-mapped formats (delimited, xlsx): the registry's `columns:` applied to a header.

What is the same for every format whose rows are a header plus cells: which
header column holds each canonical field (the plan, refused with the schema
drift named when a mapped column is missing), the constants of the feed, and
one row turned into the canonical values with a reason per bad cell, then
judged by the contract's row rules. Formats differ only in how a cell is read
(`CellReader`): delimited cells are always text, an Excel cell may already be
a number or a date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from backoffice.parsers import rules
from backoffice.parsers.drift import against_mapping, describe
from backoffice.parsers.records import FileUnreadable, HeaderMismatch
from backoffice.parsers.values import LocaleReaders, Reader
from backoffice.registry import Feed
from backoffice.warehouse.tables import TABLES, Column


class Planned(NamedTuple):
    """One mapped field: where its column is in the header, how to read it."""

    field: str
    index: int
    column: Column
    read: Reader
    required: bool


# A cell reader: (raw cell, planned field) -> value; ValueError with the reason.
CellReader = Callable[[Any, Planned], Any]


def header_names(header: Sequence[Any]) -> list[str]:
    """Header cells as names: trimmed, without a byte-order mark, empty for a blank cell."""
    return ["" if h is None else str(h).strip().lstrip("\ufeff") for h in header]


def plan(names: list[str], feed: Feed, readers: LocaleReaders) -> list[Planned]:
    """For each mapped field: its column index and reader; FileUnreadable naming the drift."""
    table = TABLES[feed.kind]
    changes = against_mapping(names, feed.columns)
    if changes:
        missing = [c.column for c in changes]
        raise HeaderMismatch(
            f"the header lacks column(s) {missing} that the registry maps for "
            f"{feed.source}/{feed.name} (schema drift: {describe(changes)}); "
            f"the header is {names}"
        )
    repeated = sorted({c for c in feed.columns.values() if names.count(c) > 1})
    if repeated:
        raise FileUnreadable(f"the header repeats column(s) {repeated}")
    planned = []
    for field, column in feed.columns.items():
        spec = table.column(field)
        planned.append(
            Planned(field, names.index(column), spec, readers.reader(spec), spec.required)
        )
    return planned


def constants(feed: Feed, readers: LocaleReaders) -> dict[str, Any]:
    """Every field of the kind: null, the source's name, or the registry's constant."""
    table = TABLES[feed.kind]
    values: dict[str, Any] = dict.fromkeys(table.names)  # unmapped optional fields stay null
    if table.source_column:
        values[table.source_column] = feed.source
    for field, text in feed.constants.items():
        try:
            values[field] = readers.reader(table.column(field))(text) if text else None
        except ValueError as exc:
            raise FileUnreadable(f"registry constant {field} {text!r} {exc}") from None
    return values


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def row_values(
    cells: Sequence[Any],
    planned: list[Planned],
    names: list[str],
    base: dict[str, Any],
    read_cell: CellReader,
) -> tuple[dict[str, Any], list[str]]:
    """The row's canonical values, and a reason per field that could not be read."""
    values = dict(base)
    problems: list[str] = []
    for item in planned:
        cell = cells[item.index] if item.index < len(cells) else None
        if is_blank(cell):
            values[item.field] = None
            if item.required:
                problems.append(f"{names[item.index]} is empty")
            continue
        try:
            values[item.field] = read_cell(cell, item)
        except ValueError as exc:
            problems.append(f'{names[item.index]} "{cell}" {exc}')
    return values, problems


def judge(feed: Feed, values: dict[str, Any]) -> list[str]:
    """The contract's row rules, in the file's own column names."""
    return rules.problems(feed.kind, values, feed.columns)
