"""What every parser yields: a typed record, or a row it had to reject.

Parsers are generators so that a file of any size is read in constant
memory; ingest decides where each item goes. Both are named tuples: immutable,
and cheap to make a million of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pyarrow as pa


class Record(NamedTuple):
    """A parsed row for raw table `table`; values are typed (Decimal, date, aware datetime)."""

    table: str
    source_row: str
    values: dict[str, Any]


class Rejection(NamedTuple):
    """A row that could not be parsed: why (for a person), and the row as it landed."""

    source_row: str
    reason: str
    raw: str


class Rows(NamedTuple):
    """Many parsed rows for raw table `table` at once, typed set-based: the table's columns
    (Arrow types DuckDB inserts as they are) and `_source_row`. A format's `parse_batches`
    yields them beside Records and Rejections (parsers/arrowtyping.py)."""

    table: str
    rows: pa.Table


class FileUnreadable(Exception):
    """The file as a whole cannot be read (bad XML, bad envelope, missing header...)."""


class HeaderMismatch(FileUnreadable):
    """The header lacks a column the registry maps: schema drift, named in the message."""
