"""One module per file format; each streams Records and Rejections for one file.

Formats are plug-ins declared in `parsers/formats.py` (the built-ins, and any
package's entry points in the group `backoffice.formats`): the registry
validates feeds against them and `parse_file` dispatches to them by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from backoffice.parsers.formats import Format, formats, get_format
from backoffice.parsers.records import FileUnreadable, Record, Rejection
from backoffice.registry import Feed


def parse_file(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Records and rejections of one landed file, in the feed's format."""
    return get_format(feed.format).parse(path, feed)


def parse_bytes(data: bytes, name: str, feed: Feed) -> Iterator[Record | Rejection]:
    """Records and rejections of a file already read (a format with `parse_bytes`)."""
    parse = get_format(feed.format).parse_bytes
    if parse is None:
        raise TypeError(f"format {feed.format!r} cannot parse a file from its bytes")
    return parse(data, name, feed)


def read_header(path: Path, feed: Feed) -> list[str] | None:
    """The file's header column names, or None for a format without a header row."""
    reader = get_format(feed.format).read_header
    return None if reader is None else reader(path, feed)


__all__ = [
    "FileUnreadable",
    "Format",
    "Record",
    "Rejection",
    "formats",
    "get_format",
    "parse_bytes",
    "parse_file",
    "read_header",
]
