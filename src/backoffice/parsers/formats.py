"""File formats as plug-ins: one declaration per format, found by name.

A format is one module that turns a landed file into canonical records
(`Record`, `Rejection` with its row and reason, `FileUnreadable` for a whole
file) and declares here what it is: the kinds (raw tables) it can load,
whether it reads its columns through a feed's `dialect` and `columns:`
mapping, how to read a file's header (for `feeds check`, `feeds new` and
schema drift) and which other raw tables it fills beside the feed's kind.
The registry validates every feed against these declarations, ingest and
`feeds check` call `parse`: a fact declared once.

Built-ins: delimited, tmf622_ndjson, fatturapa, xlsx. Another package can add a
format without touching this project, through the entry-point group
`backoffice.formats` (each entry point names a `Format` object):

    [project.entry-points."backoffice.formats"]
    edifact = "acme_formats.edifact:FORMAT"
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from backoffice.parsers.records import Record, Rejection, Rows

if TYPE_CHECKING:
    from backoffice.registry import Feed

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "backoffice.formats"

Parser = Callable[[Path, "Feed"], Iterator[Record | Rejection]]
HeaderReader = Callable[[Path, "Feed"], list[str]]
BytesParser = Callable[[bytes, str, "Feed"], Iterator[Record | Rejection]]
BatchParser = Callable[[Path, "Feed"], Iterator[Record | Rejection | Rows]]


@dataclass(frozen=True)
class Format:
    """What a file format is to the rest of the product.

    `mapped`: the feed gives a `dialect` and a `columns:` mapping (field -> header
    column), as delimited and xlsx feeds do; a format with its own schema
    (TMF622, FatturaPA) takes neither. `read_header` gives the column names of a
    file's header (None: the format has no header row to drift). `also_fills`:
    raw tables written beside the feed's kind (FatturaPA's VAT summaries).
    `streams`: records come out while the file is read, in bounded memory;
    False for a format whose file is one document read whole (a FatturaPA
    invoice: SdI caps it at 5 MB), whose memory is bounded by the file's size.
    `parse_bytes`: the same parse from the file's bytes and name, for a format whose
    file is read whole anyway: ingest then reads the file once for its sha256 and its
    records, and may parse many such files in parallel processes.
    `parse_batches`: the same records as `parse`, runs of them typed set-based and yielded
    as Arrow `Rows` (ingest uses it when present; `parse` stays the reference).
    """

    name: str
    kinds: frozenset[str]
    parse: Parser
    mapped: bool = False
    read_header: HeaderReader | None = None
    also_fills: tuple[str, ...] = ()
    streams: bool = True
    description: str = ""
    parse_bytes: BytesParser | None = None
    parse_batches: BatchParser | None = None


class UnknownFormat(KeyError):
    """No format of that name is registered."""


def _builtin() -> list[Format]:
    # Imported here: the format modules import the registry, which asks for formats.
    from backoffice.parsers.delimited import FORMAT as DELIMITED
    from backoffice.parsers.fatturapa import parse_fatturapa, parse_fatturapa_bytes
    from backoffice.parsers.tmf622 import FORMAT as TMF622
    from backoffice.parsers.xlsx import FORMAT as XLSX

    fatturapa = Format(
        name="fatturapa",
        kinds=frozenset({"invoice_lines"}),
        parse=parse_fatturapa,
        also_fills=("invoice_vat_summaries",),
        streams=False,
        description="FatturaPA XML invoices, plain or CAdES-signed (.xml.p7m)",
        parse_bytes=parse_fatturapa_bytes,
    )
    return [DELIMITED, TMF622, fatturapa, XLSX]


def _plugins() -> list[Format]:
    found = []
    for point in entry_points(group=ENTRY_POINT_GROUP):
        fmt = point.load()
        if not isinstance(fmt, Format):
            raise TypeError(
                f"entry point {point.name} = {point.value} of {ENTRY_POINT_GROUP} is a "
                f"{type(fmt).__name__}, not a backoffice.parsers.formats.Format"
            )
        found.append(fmt)
    return found


@cache
def formats() -> Mapping[str, Format]:
    """Every registered format by name: the built-ins, then the plug-ins."""
    table: dict[str, Format] = {}
    for fmt in [*_builtin(), *_plugins()]:
        if fmt.name in table:
            raise ValueError(f"two formats are registered as {fmt.name!r}")
        table[fmt.name] = fmt
    return MappingProxyType(table)


def get_format(name: str) -> Format:
    """The format called `name`; UnknownFormat naming the known ones otherwise."""
    try:
        return formats()[name]
    except KeyError:
        raise UnknownFormat(f"{name!r} is not one of {sorted(formats())}") from None


def format_kinds() -> Mapping[str, frozenset[str]]:
    """Which raw tables (kinds) each format can load."""
    return MappingProxyType({name: fmt.kinds for name, fmt in formats().items()})
