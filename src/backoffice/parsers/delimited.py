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

from backoffice.parsers import mapping
from backoffice.parsers.encoding import UTF8_BOM, is_mojibake, prove_encoding
from backoffice.parsers.formats import Format
from backoffice.parsers.records import FileUnreadable, Record, Rejection
from backoffice.parsers.values import LocaleReaders
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
    base = mapping.constants(feed, readers)
    skip = prove_encoding(path, dialect.encoding, f"{feed.source}/{feed.name}")
    with path.open("rb") as raw, _text(raw, skip, dialect.encoding) as fh:
        rows = csv.reader(fh, delimiter=dialect.delimiter, quotechar=dialect.quotechar)
        try:
            header = next(rows)
        except StopIteration:
            raise FileUnreadable("the file is empty: no header row") from None
        except csv.Error as exc:
            raise FileUnreadable(f"the header row is not valid CSV: {exc}") from None
        names = mapping.header_names(header)
        planned = mapping.plan(names, feed, readers)
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
            yield _row(row, number, width, planned, names, feed, table.name, base)


def read_header(path: Path, feed: Feed) -> list[str]:
    """The header row's column names (for feeds check, feeds new and schema drift).

    Only the first line is read (the parse proves the whole file's encoding);
    bytes the encoding cannot decode come out replaced.
    """
    dialect = feed.dialect
    if dialect is None:
        raise FileUnreadable(f"{feed.source}/{feed.name} has no dialect in the registry")
    with path.open("rb") as raw:
        skip = len(UTF8_BOM) if raw.read(len(UTF8_BOM)) == UTF8_BOM else 0
        raw.seek(skip)
        fh = io.TextIOWrapper(raw, encoding=dialect.encoding, errors="replace", newline="")
        try:
            header = next(csv.reader(fh, delimiter=dialect.delimiter, quotechar=dialect.quotechar))
        except StopIteration:
            raise FileUnreadable("the file is empty: no header row") from None
        except csv.Error as exc:
            raise FileUnreadable(f"the header row is not valid CSV: {exc}") from None
    return mapping.header_names(header)


def _text(raw: io.BufferedReader, skip: int, encoding: str) -> io.TextIOWrapper:
    """The file as text after its byte-order mark (if any)."""
    raw.seek(skip)
    return io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")


def _read_text(cell: str, item: mapping.Planned) -> Any:
    return item.read(cell)


def _row(
    row: list[str],
    number: int,
    width: int,
    planned: list[mapping.Planned],
    names: list[str],
    feed: Feed,
    table: str,
    base: dict[str, Any],
) -> Record | Rejection:
    if len(row) != width:
        return _reject(row, number, feed, f"has {len(row)} fields, the header has {width}")
    encoding = feed.dialect.encoding
    if _UNDECODABLE.search("\x00".join(row)) is not None:
        bad = [names[p.index] for p in planned if _UNDECODABLE.search(row[p.index])]
        if bad:
            problem = "; ".join(f"{name} holds bytes that are not {encoding}" for name in bad)
            return _reject(row, number, feed, problem)
    values, problems = mapping.row_values(row, planned, names, base, _read_text)
    if not problems and is_mojibake("\x00".join(row), encoding):
        problems.append(
            f"holds UTF-8 multi-byte sequences, but the file is declared "
            f"{encoding}: it would load as mojibake"
        )
    if not problems:
        problems = mapping.judge(feed, values)
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


FORMAT = Format(
    name="delimited",
    kinds=frozenset(
        {"crm_signed_orders", "provider_orders", "provider_order_events", "invoice_lines"}
    ),
    parse=parse_delimited,
    mapped=True,
    read_header=read_header,
    description="CSV and other delimited text: dialect and header mapping from the registry",
)
