"""One parser per format family; each streams Records and Rejections for one file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from backoffice.parsers.delimited import parse_delimited
from backoffice.parsers.fatturapa import parse_fatturapa
from backoffice.parsers.records import FileUnreadable, Record, Rejection
from backoffice.parsers.tmf622 import parse_tmf622
from backoffice.registry import Feed

Parser = Callable[[Path, Feed], Iterator[Record | Rejection]]

PARSERS: dict[str, Parser] = {
    "delimited": parse_delimited,
    "tmf622_ndjson": parse_tmf622,
    "fatturapa": parse_fatturapa,
}


def parse_file(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Records and rejections of one landed file, in the feed's format."""
    return PARSERS[feed.format](path, feed)


__all__ = ["PARSERS", "FileUnreadable", "Record", "Rejection", "parse_file"]
