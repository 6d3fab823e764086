"""Landing-zone output: append-only files with row counters, buffered in memory.

Units are written one after the other, so a daily file receives rows from many
units; the sink hands back each row's number as it is appended (that number is the
record's `source_row`) and flushes to disk in large appends, so memory stays flat
whatever the sample size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

_FLUSH_BYTES = 16 * 1024 * 1024


@dataclass(slots=True)
class FileStats:
    source: str
    feed: str
    records: int = 0  # source rows: CSV data rows, NDJSON lines, FatturaPA invoice lines
    warehouse_rows: int = 0  # rows ingest should load into raw (items, state changes, lines)
    quarantined: int = 0
    vat_summaries: int = 0


class Sinks:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.stats: dict[str, FileStats] = {}
        self._buffers: dict[str, list[bytes]] = defaultdict(list)
        self._buffered = 0
        self._created: set[str] = set()

    def _stats_for(self, rel: str) -> FileStats:
        stats = self.stats.get(rel)
        if stats is None:
            source, feed = rel.split("/", 2)[:2]
            stats = self.stats[rel] = FileStats(source, feed)
        return stats

    def append(self, rel: str, data: bytes, *, header: bytes = b"", rows: int = 0) -> int:
        """Append data to file `rel`; return the next record number before the append."""
        stats = self._stats_for(rel)
        if rel not in self._created and not self._buffers[rel]:
            self._buffers[rel].append(header)
            self._buffered += len(header)
        self._buffers[rel].append(data)
        self._buffered += len(data)
        first = stats.records + 1
        stats.records += 1
        stats.warehouse_rows += rows
        if self._buffered > _FLUSH_BYTES:
            self.flush()
        return first

    def quarantine_row(self, rel: str, data: bytes) -> int:
        """Append a corrupt row that ingest must quarantine; return its number."""
        row = self.append(rel, data)
        self.stats[rel].quarantined += 1
        return row

    def next_row(self, rel: str) -> int:
        stats = self.stats.get(rel)
        return (stats.records if stats else 0) + 1

    def write_file(self, rel: str, data: bytes, *, records: int, rows: int, summaries: int) -> None:
        """Write a whole file at once (one FatturaPA document)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        stats = self._stats_for(rel)
        stats.records += records
        stats.warehouse_rows += rows
        stats.vat_summaries += summaries
        self._created.add(rel)

    def flush(self) -> None:
        for rel, chunks in sorted(self._buffers.items()):
            if not chunks:
                continue
            path = self.root / rel
            if rel not in self._created:
                path.parent.mkdir(parents=True, exist_ok=True)
                mode = "wb"
                self._created.add(rel)
            else:
                mode = "ab"
            with path.open(mode) as handle:
                handle.write(b"".join(chunks))
        self._buffers.clear()
        self._buffered = 0
