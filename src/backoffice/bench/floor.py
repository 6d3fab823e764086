"""The parse floor: the least work any tool must do on the landed files, no rules.

Every CSV and NDJSON file read by DuckDB (one scan per feed over all its
files, every column as text), every FatturaPA invoice parsed by lxml and every
signed one unwrapped in process first. Nothing is checked, typed or written:
it is what a night could not go below on the same files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
from lxml import etree

from backoffice.ingest import delivered_files
from backoffice.parsers.p7m import unwrap_p7m
from backoffice.registry import Registry

_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(frozen=True)
class FloorCounts:
    delimited_files: int = 0
    ndjson_files: int = 0
    invoice_files: int = 0
    signed_invoices: int = 0
    rows: int = 0
    bytes: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def parse_floor(landing: Path, registry: Registry, as_of) -> FloorCounts:
    """Read every file delivered by `as_of` the cheapest correct way; return what was read."""
    counts = dict.fromkeys(FloorCounts.__dataclass_fields__, 0)
    con = duckdb.connect()
    for source, name in registry.feeds():
        feed = registry.feed(source, name)
        files = [str(path) for _, path in delivered_files(landing, feed, as_of)]
        if not files:
            continue
        counts["bytes"] += sum(Path(f).stat().st_size for f in files)
        if feed.format == "fatturapa":
            for file in files:
                data = Path(file).read_bytes()
                if file.lower().endswith(".p7m"):
                    data = unwrap_p7m(data)
                    counts["signed_invoices"] += 1
                root = etree.fromstring(data, _XML)
                counts["rows"] += sum(1 for _ in root.iter("{*}DettaglioLinee"))
            counts["invoice_files"] += len(files)
        elif feed.format == "delimited":
            dialect = feed.dialect
            delimiter = dialect.delimiter if dialect else ","
            encoding = "utf-8"  # DuckDB has no cp1252: rows it cannot decode are skipped
            counts["rows"] += con.execute(
                "select count(*) from read_csv(?, delim = ?, header = true, all_varchar = true, "
                "encoding = ?, union_by_name = true, ignore_errors = true, quote = '\"')",
                [files, delimiter, encoding],
            ).fetchone()[0]
            counts["delimited_files"] += len(files)
        else:
            counts["rows"] += con.execute(
                "select count(*) from read_json(?, format = 'newline_delimited', "
                "ignore_errors = true, union_by_name = true)",
                [files],
            ).fetchone()[0]
            counts["ndjson_files"] += len(files)
    con.close()
    return FloorCounts(**counts)
