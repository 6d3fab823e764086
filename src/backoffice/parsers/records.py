"""What every parser yields: a typed record, or a row it had to reject.

Parsers are generators so that a file of any size is read in constant
memory; ingest decides where each item goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Record:
    """A parsed row for raw table `table`; values are typed (Decimal, date, aware datetime)."""

    table: str
    source_row: str
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that could not be parsed: why (for a person), and the row as it landed."""

    source_row: str
    reason: str
    raw: str


class FileUnreadable(Exception):
    """The file as a whole cannot be read (bad XML, bad envelope, missing header...)."""
