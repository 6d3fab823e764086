"""The test kit every file format passes (formats are plug-ins: parsers/formats.py).

A format brings one `KitCase`: its registry entry (what a data engineer would
write in config/providers.yml) and a writer that makes a file of `rows` data
rows, the rows numbered in `bad` broken in the field the case names. The
checks below then hold it to what ingest relies on:

- row numbers as in the file, every row accounted for, in file order;
- every rejection says its row and names the field (in the file's own words);
- records are typed as their raw table (Decimal money, aware instants, no float);
- streaming: records come out before the file is read to its end and a whole
  file is consumed in bounded memory (tracemalloc peaks against holding every
  record); a format that reads one document whole (`streams=False`) is held to
  a memory bound proportional to the file's size instead;
- lineage: landed and ingested for real into DuckDB, every raw row carries its
  source file, row, sha256 and delivery date, and the counts reconcile.

A new format passes it by adding one case (see test_format_kit.py).
"""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import yaml

from backoffice.parsers import Record, Rejection, get_format, parse_file
from backoffice.registry import Feed, Registry, load_registry
from backoffice.warehouse.tables import TABLES

# (folder, rows, bad rows) -> the written file
Writer = Callable[[Path, int, frozenset[int]], Path]
DELIVERY = date(2026, 3, 2)


@dataclass(frozen=True)
class KitCase:
    """One format's fixture for the kit."""

    source: str
    feed: str
    entry: dict[str, Any]  # the feed's registry entry (kind, format, patterns, ...)
    write: Writer
    bad_field: str  # the file's own name of the field a bad row breaks
    states: dict[str, str] = field(default_factory=dict)  # the source's state map, if any
    label: Callable[[int], str] = str  # data row i (from 1) -> its source_row
    dialects: dict[str, Any] = field(default_factory=dict)
    streaming_rows: int = 8000  # rows of the large file of the streaming check

    @property
    def format(self) -> str:
        return self.entry["format"]

    def registry(self, folder: Path) -> Registry:
        """The case's entry as a registry file of its own, loaded (and so validated)."""
        source: dict[str, Any] = {"feeds": {self.feed: self.entry}}
        if self.states:
            source["states"] = self.states
        doc = {"version": 1, "dialects": self.dialects, "sources": {self.source: source}}
        path = folder / "providers.yml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        return load_registry(path)

    def feed_spec(self, folder: Path) -> Feed:
        return self.registry(folder).feed(self.source, self.feed)


def check_rows_as_in_the_file(case: KitCase, folder: Path, rows: int = 24) -> None:
    """Every data row comes out once, numbered as in the file, in file order."""
    bad = frozenset({3, rows - 2})
    feed = case.feed_spec(folder)
    items = [
        item
        for item in parse_file(case.write(folder, rows, bad), feed)
        if isinstance(item, Rejection) or item.table == feed.kind  # not FatturaPA's summaries
    ]
    seen = [item.source_row for item in items]
    expected = [case.label(i) for i in range(1, rows + 1)]
    assert set(seen) == set(expected), sorted(set(seen) ^ set(expected))
    assert seen == sorted(seen, key=expected.index), "rows come out in file order"
    rejected = {i.source_row for i in items if isinstance(i, Rejection)}
    assert rejected == {case.label(i) for i in bad}, rejected


def check_rejections_name_row_and_field(case: KitCase, folder: Path, rows: int = 12) -> None:
    """A rejection says which row and which field, in the file's own names, and keeps the row."""
    bad = frozenset({2, 7})
    feed = case.feed_spec(folder)
    rejections = [
        i for i in parse_file(case.write(folder, rows, bad), feed) if isinstance(i, Rejection)
    ]
    assert len(rejections) == len(bad)
    for rejection in rejections:
        number = rejection.source_row.rsplit("/", 1)[-1]
        assert f" {number}" in rejection.reason.split(":", 1)[0], rejection.reason
        assert case.bad_field in rejection.reason, rejection.reason
        assert rejection.raw, "the rejected row is kept as it landed"


def check_records_are_typed(case: KitCase, folder: Path, rows: int = 12) -> None:
    """Records fit their raw table: known fields, required ones set, Decimal, aware instants."""
    fmt = get_format(case.format)
    feed = case.feed_spec(folder)
    records = [
        i for i in parse_file(case.write(folder, rows, frozenset()), feed) if isinstance(i, Record)
    ]
    assert records
    allowed = {feed.kind, *fmt.also_fills}
    assert allowed <= set(fmt.kinds) | set(fmt.also_fills)
    for record in records:
        assert record.table in allowed
        table = TABLES[record.table]
        assert set(record.values) <= set(table.names), set(record.values) - set(table.names)
        for column in table.columns:
            value = record.values.get(column.name)
            if column.required:
                assert value is not None, f"{column.name} is required ({record})"
            if value is None:
                continue
            assert not isinstance(value, float), f"{column.name} is a float"
            expected = {"decimal": Decimal, "int": int, "text": str, "date": date}
            if column.type == "timestamp":
                assert isinstance(value, datetime) and value.utcoffset() is not None
            else:
                assert isinstance(value, expected[column.type]), (column.name, value)


def _peak(work: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _drain(items: Iterator[Any]) -> int:
    count = 0
    for _ in items:
        count += 1
    return count


def check_streaming(case: KitCase, folder: Path) -> None:
    """Records come out lazily, before the file is parsed to its end, in bounded memory.

    Measured against holding every record of a large file: the first record, and
    reading the whole file through, must each take less than half of that. (Text
    formats first prove the file's encoding in one pass of 1 MiB chunks: that pass
    is bounded too, and is why the bound is relative, not "one row".)
    """
    fmt = get_format(case.format)
    feed = case.feed_spec(folder)
    rows = case.streaming_rows
    path = case.write(folder, rows, frozenset())
    items = parse_file(path, feed)
    assert iter(items) is items, "parse returns an iterator (a generator), not a list"
    held: list[Any] = []
    whole = _peak(lambda: held.extend(parse_file(path, feed)))
    assert len(held) >= rows
    held.clear()
    drained = _peak(lambda: _drain(parse_file(path, feed)))
    if not fmt.streams:
        # One document read whole: bounded by the file, not by anything else.
        assert drained < 40 * path.stat().st_size + (8 << 20), (drained, path.stat().st_size)
        return
    first = _peak(lambda: next(iter(parse_file(path, feed))))
    assert first < whole / 2, f"the first record needed {first} B, all records {whole} B"
    assert drained < whole / 2, f"reading through took {drained} B, holding all {whole} B"


def check_lineage_after_ingest(case: KitCase, folder: Path, rows: int = 12) -> None:
    """Landed and ingested for real: every raw row names its file, row, sha256 and delivery."""
    from backoffice.ingest import ingest_feed
    from backoffice.settings import Settings

    registry = case.registry(folder)
    feed = registry.feed(case.source, case.feed)
    landing = folder / "landing"
    delivery = landing / case.source / case.feed / DELIVERY.isoformat()
    delivery.mkdir(parents=True)
    bad = frozenset({4})
    path = case.write(delivery, rows, bad)
    relative = path.relative_to(landing).as_posix()
    settings = Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(landing),
            "BACKOFFICE_DATA_DIR": str(folder / "data"),
            "BACKOFFICE_REGISTRY": str(registry.path),
        }
    )
    report = ingest_feed(settings, case.source, case.feed, DELIVERY)
    assert report.files_loaded == 1 and report.rows_read == report.rows_loaded + (
        report.rows_quarantined
    )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    labels = {case.label(i) for i in range(1, rows + 1)}
    with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
        lineage = con.execute(
            f"select _source_file, _source_row, _file_sha256, _delivery_date, _load_id "
            f"from raw.{feed.kind}"
        ).fetchall()
        quarantined = con.execute(
            "select source_file, source_row, reason from raw.quarantine"
        ).fetchall()
        manifest = con.execute(
            "select status, rows_read, rows_loaded, rows_quarantined from raw.landed_files"
        ).fetchall()
    assert lineage and all(
        (file, sha, day) == (relative, digest, DELIVERY) and row in labels and load
        for file, row, sha, day, load in lineage
    ), lineage[:3]
    assert {row for _, row, *_ in lineage} == labels - {case.label(4)}
    assert [(f, r) for f, r, _ in quarantined] == [(relative, case.label(4))]
    assert case.bad_field in quarantined[0][2]
    assert manifest == [("loaded", report.rows_read, report.rows_loaded, 1)]


CHECKS = (
    check_rows_as_in_the_file,
    check_rejections_name_row_and_field,
    check_records_are_typed,
    check_streaming,
    check_lineage_after_ingest,
)
