"""Registry-described delimited files: the CRM export, Italian-locale CSV, and the like.

The registry gives the dialect (encoding, separator, number and date locale,
time zone) and which header column holds each canonical field, so a new CSV
feed needs no code. RFC 4180 quoting comes from the csv module; rows are read
one at a time. The file's encoding is proven first (parsers/encoding.py), and
each row that parses is judged by the contract's row rules (parsers/rules.py):
a row that breaks one is rejected with its reason, never loaded.

Two parses, the same records: `parse_delimited` types each row here (the reference,
used by `feeds check` and the conformance tests); `parse_delimited_batches`, which
ingest uses, reads rows in batches and has the clean ones typed set-based
(parsers/arrowtyping.py), yielding them as Arrow `Rows`, and only the others through
the same per-row code as the reference.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from backoffice.parsers import arrowtyping, mapping
from backoffice.parsers.encoding import UTF8_BOM, is_mojibake, prove_encoding
from backoffice.parsers.formats import Format
from backoffice.parsers.records import FileUnreadable, Record, Rejection, Rows
from backoffice.parsers.values import LocaleReaders
from backoffice.registry import Feed

# Bytes the file's encoding cannot decode come through as lone surrogates.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
BATCH_ROWS = 20_000  # rows typed together (parse_delimited_batches)
# A batch this small is typed row by row: Arrow's few dozen calls a batch (about 1.3 ms)
# cost more than they save below about 125 rows (measured on the 5,000 and 200,000-line
# samples' CRM files).
SET_BASED_FROM_ROWS = 128


def parse_delimited(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Yield one Record per data row (numbered from 1), or a Rejection saying why not."""
    readers, base = _prepare(feed)
    with _open(path, feed) as (rows, header):
        names = mapping.header_names(header)
        planned = mapping.plan(names, feed, readers)
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
            yield _row(row, number, len(header), planned, names, feed, base)


def parse_delimited_batches(path: Path, feed: Feed) -> Iterator[Record | Rejection | Rows]:
    """The records of `parse_delimited`, the surely-fine ones typed set-based as `Rows`.

    Rows are read `BATCH_ROWS` at a time; each batch is typed by Arrow compute kernels, and
    the rows it does not clear are typed here one by one, as the reference does, in their
    turn before the batch's `Rows`. Memory is one batch.
    """
    readers, base = _prepare(feed)
    with _open(path, feed) as (rows, header):
        names = mapping.header_names(header)
        planned = mapping.plan(names, feed, readers)
        width = len(header)
        typing = arrowtyping.row_typing(feed.kind, feed.dialect, planned, width, base)
        first = 1
        while True:
            try:
                batch = list(itertools.islice(rows, BATCH_ROWS))
            except csv.Error as exc:
                raise FileUnreadable(f"not valid CSV at line {rows.line_num}: {exc}") from None
            if not batch:
                return
            few = len(batch) < SET_BASED_FROM_ROWS
            typed = None if typing is None or few else typing.type_rows(batch, first)
            if typed is None:  # no Arrow twin for this feed (or text Arrow cannot carry)
                for offset, row in enumerate(batch):
                    if row:
                        yield _row(row, first + offset, width, planned, names, feed, base)
            else:
                clean, others = typed
                for offset in others:
                    yield _row(batch[offset], first + offset, width, planned, names, feed, base)
                if clean is not None and clean.num_rows:
                    yield Rows(feed.kind, clean)
            first += len(batch)


def _prepare(feed: Feed) -> tuple[LocaleReaders, dict[str, Any]]:
    """The feed's value readers and the values every row starts from (its constants)."""
    if feed.dialect is None:
        raise FileUnreadable(f"{feed.source}/{feed.name} has no dialect in the registry")
    readers = LocaleReaders(feed.dialect)
    return readers, mapping.constants(feed, readers)


class _open:
    """The file's csv rows after its header: (reader, header); the encoding proven first."""

    def __init__(self, path: Path, feed: Feed) -> None:
        self.path = path
        self.feed = feed
        self.fh: io.TextIOWrapper | None = None

    def __enter__(self) -> tuple[Any, list[str]]:
        feed = self.feed
        dialect = feed.dialect
        assert dialect is not None  # _prepare said so
        skip = prove_encoding(self.path, dialect.encoding, f"{feed.source}/{feed.name}")
        self.fh = _text(self.path.open("rb"), skip, dialect.encoding)
        rows = csv.reader(self.fh, delimiter=dialect.delimiter, quotechar=dialect.quotechar)
        try:
            header = next(rows)
        except StopIteration:
            raise FileUnreadable("the file is empty: no header row") from None
        except csv.Error as exc:
            raise FileUnreadable(f"the header row is not valid CSV: {exc}") from None
        return rows, header

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()


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
    return Record(feed.kind, str(number), values)


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
    parse_batches=parse_delimited_batches,
    mapped=True,
    read_header=read_header,
    description="CSV and other delimited text: dialect and header mapping from the registry",
)
