"""Registry-described delimited files: the CRM export, Italian-locale CSV, and the like.

The registry gives the dialect (encoding, separator, number and date locale,
time zone) and which header column holds each canonical field, so a new CSV
feed needs no code. RFC 4180 quoting comes from the csv module; rows are read
one at a time. The file's encoding is proven first (parsers/encoding.py), and
each row that parses is judged by the contract's row rules (parsers/rules.py):
a row that breaks one is rejected with its reason, never loaded.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from backoffice.parsers import rules
from backoffice.parsers.encoding import is_mojibake, prove_encoding
from backoffice.parsers.records import FileUnreadable, Record, Rejection
from backoffice.parsers.values import LocaleReaders, Reader
from backoffice.registry import Feed
from backoffice.warehouse.tables import TABLES

# Bytes the file's encoding cannot decode come through as lone surrogates.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def parse_delimited(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Yield one Record per data row (numbered from 1), or a Rejection saying why not."""
    dialect = feed.dialect
    if dialect is None:
        raise FileUnreadable(f"{feed.source}/{feed.name} has no dialect in the registry")
    table = TABLES[feed.kind]
    readers = LocaleReaders(dialect)
    constants = _constants(feed, readers)
    skip = prove_encoding(path, dialect.encoding, f"{feed.source}/{feed.name}")
    with path.open("rb") as raw, _text(raw, skip, dialect.encoding) as fh:
        rows = csv.reader(fh, delimiter=dialect.delimiter, quotechar=dialect.quotechar)
        try:
            header = next(rows)
        except StopIteration:
            raise FileUnreadable("the file is empty: no header row") from None
        except csv.Error as exc:
            raise FileUnreadable(f"the header row is not valid CSV: {exc}") from None
        plan = _plan(header, feed, readers)
        width = len(header)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileUnreadable(f"not valid CSV at line {rows.line_num}: {exc}") from None
            number += 1
            if not row:
                continue
            yield _row(row, number, width, plan, header, feed, table.name, constants)


def _text(raw: io.BufferedReader, skip: int, encoding: str) -> io.TextIOWrapper:
    """The file as text after its byte-order mark (if any)."""
    raw.seek(skip)
    return io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")


_Plan = list[tuple[str, int, Reader, bool]]


def _plan(header: list[str], feed: Feed, readers: LocaleReaders) -> _Plan:
    """For each mapped field: its column index, reader and whether it is required."""
    names = [h.strip().lstrip("\ufeff") for h in header]
    table = TABLES[feed.kind]
    missing = [c for c in feed.columns.values() if c not in names]
    if missing:
        raise FileUnreadable(
            f"the header lacks column(s) {missing} that the registry maps for "
            f"{feed.source}/{feed.name}; the header is {names}"
        )
    repeated = sorted({c for c in feed.columns.values() if names.count(c) > 1})
    if repeated:
        raise FileUnreadable(f"the header repeats column(s) {repeated}")
    plan: _Plan = []
    for field, column in feed.columns.items():
        spec = table.column(field)
        plan.append((field, names.index(column), readers.reader(spec), spec.required))
    return plan


def _constants(feed: Feed, readers: LocaleReaders) -> dict[str, Any]:
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


def _row(
    row: list[str],
    number: int,
    width: int,
    plan: _Plan,
    header: list[str],
    feed: Feed,
    table: str,
    constants: dict[str, Any],
) -> Record | Rejection:
    if len(row) != width:
        return _reject(row, number, feed, f"has {len(row)} fields, the header has {width}")
    values = dict(constants)
    problems: list[str] = []
    undecodable = _UNDECODABLE.search("\x00".join(row)) is not None
    for field, index, read, required in plan:
        raw = row[index]
        if undecodable and _UNDECODABLE.search(raw):
            problems.append(f"{header[index]} holds bytes that are not {feed.dialect.encoding}")
        elif not raw.strip():
            values[field] = None
            if required:
                problems.append(f"{header[index]} is empty")
        else:
            try:
                values[field] = read(raw)
            except ValueError as exc:
                problems.append(f'{header[index]} "{raw}" {exc}')
    if not problems and is_mojibake("\x00".join(row), feed.dialect.encoding):
        problems.append(
            f"holds UTF-8 multi-byte sequences, but the file is declared "
            f"{feed.dialect.encoding}: it would load as mojibake"
        )
    if not problems:
        problems = rules.problems(table, values, feed.columns)
    if problems:
        return _reject(row, number, feed, "; ".join(problems))
    return Record(table, str(number), values)


def _reject(row: list[str], number: int, feed: Feed, problem: str) -> Rejection:
    """The row's reason, and the row written back as delimited text."""
    dialect = feed.dialect
    assert dialect is not None
    out = io.StringIO()
    csv.writer(out, delimiter=dialect.delimiter, quotechar=dialect.quotechar).writerow(row)
    text = out.getvalue().rstrip("\r\n")
    text = text.encode(dialect.encoding, "surrogateescape").decode(dialect.encoding, "replace")
    return Rejection(str(number), f"row {number}: {problem}", text)
