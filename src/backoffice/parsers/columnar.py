"""Whole-document files parsed a chunk at a time into Arrow columns, in or out of process.

Issue #8: a night reads a hundred thousand FatturaPA invoices, one small file
each. Ingest hands them out in chunks of up to `CHUNK_FILES`; for each file of
a chunk `parse_chunk` reads the bytes once (for the sha256 and the parse),
parses them, and appends each record's values as a plain tuple with its
lineage. At the end of the chunk the rows become Arrow columns, typed the way
the raw tables take them, so that the writing process only inserts them. The
same function runs in the loading process (small loads, one core) or in a pool
of worker processes (`ParsePool`); only the loading process writes DuckDB.

A file that cannot be read as a whole (`FileUnreadable`, a bad encoding) has
its rows taken back out of the chunk and its reason returned: the loading
process records it `unreadable`. Any other error stops the chunk: the load
fails and its transaction is rolled back, as in the serial path.

Each row carries `_file`, the file's position in its chunk, so the loading
process can drop a file's rows (a redelivery found only once its sha256 is
known) before the insert.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import operator
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa

from backoffice.parsers import get_format, parse_bytes, parse_file
from backoffice.parsers.records import FileUnreadable, HeaderMismatch, Record
from backoffice.registry import Feed, load_registry
from backoffice.warehouse.tables import TABLES, Column, Table
from backoffice.warehouse.writer import arrow_type

log = logging.getLogger(__name__)

CHUNK_FILES = 64  # files per task sent to a worker: few round trips, small in-flight memory
IN_FLIGHT_PER_WORKER = 4  # chunks per worker in flight: enough to keep parsing through a commit
FILE_INDEX = "_file"

# Per-row lineage of a data row, after the table's own columns (then `_file`).
ROW_LINEAGE = (
    Column("_source_row", "text"),
    Column("_source_file", "text"),
    Column("_file_sha256", "text"),
    Column("_delivery_date", "date"),
)
# A quarantined row's columns (then `_file`).
QUARANTINE_COLUMNS = (
    Column("source_row", "text"),
    Column("reason", "text"),
    Column("raw_record", "text"),
    Column("source_file", "text"),
    Column("file_sha256", "text"),
)


class ChunkItem(NamedTuple):
    """One landed file to parse: `parse` False when its name matches no pattern of the
    feed (it is only fingerprinted; the loading process records it unreadable)."""

    relative: str
    path: str
    delivery: date
    parse: bool


class ParsedFile(NamedTuple):
    """What became of one file of a chunk; `error` set when it could not be read whole,
    `header_mismatch` when that was its header (schema drift: the loader says how)."""

    size: int
    sha256: str
    error: str | None
    loaded: int
    quarantined: int
    header_mismatch: bool = False


class ParsedChunk(NamedTuple):
    """A chunk's files in order, and their rows as one Arrow table per raw table."""

    files: list[ParsedFile]
    tables: dict[str, pa.Table]
    quarantine: pa.Table | None


def data_columns(table: Table) -> tuple[Column, ...]:
    """A raw table's columns as a chunk carries them (without `_file`)."""
    return (*table.columns, *ROW_LINEAGE)


def parse_chunk(
    feed: Feed,
    items: Iterable[ChunkItem],
    parse: Callable[[bytes, str, Feed], Iterable[Any]] = parse_bytes,
) -> ParsedChunk:
    """Read, fingerprint and parse each file of the chunk; rows become Arrow columns.

    A format read whole (`parse_bytes`) is parsed from the bytes hashed; another one
    (CSV, NDJSON, Excel) is hashed, then parsed from the file as it streams. Either
    way the chunk's rows are held until it ends: the loader sends a streaming format's
    file here only below a size (ingest.PARALLEL_FILE_BYTES).
    """
    fmt = get_format(feed.format)
    tables = (feed.kind, *fmt.also_fills)
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in tables}
    pick = {name: _picker(TABLES[name].names) for name in tables}
    rejected: list[tuple[Any, ...]] = []
    files: list[ParsedFile] = []
    for index, item in enumerate(items):
        if fmt.parse_bytes is not None:
            with open(item.path, "rb") as fh:
                data = fh.read()
            size, sha256 = len(data), hashlib.sha256(data).hexdigest()
            records: Callable[[], Iterable[Any]] = functools.partial(
                parse, data, item.path.rsplit("/", 1)[-1], feed
            )
        else:
            size, sha256 = fingerprint(item.path)
            records = functools.partial(parse_file, Path(item.path), feed)
        if not item.parse:
            files.append(ParsedFile(size, sha256, None, 0, 0))
            continue
        marks = {name: len(table_rows) for name, table_rows in rows.items()}
        rejected_mark = len(rejected)
        lineage = (item.relative, sha256, item.delivery, index)
        file_only = (item.relative, sha256, index)
        loaded = quarantined = 0
        try:
            for record in records():
                if record.__class__ is Record:
                    rows[record.table].append(
                        (*pick[record.table](record.values), record.source_row, *lineage)
                    )
                    loaded += 1
                else:
                    rejected.append((record.source_row, record.reason, record.raw, *file_only))
                    quarantined += 1
        except (FileUnreadable, UnicodeError) as exc:
            for name, mark in marks.items():
                del rows[name][mark:]
            del rejected[rejected_mark:]
            mismatch = isinstance(exc, HeaderMismatch)
            files.append(ParsedFile(size, sha256, str(exc), 0, 0, mismatch))
            continue
        files.append(ParsedFile(size, sha256, None, loaded, quarantined))
    return ParsedChunk(
        files,
        {name: _arrow(rows[name], data_columns(TABLES[name])) for name in tables},
        _arrow(rejected, QUARANTINE_COLUMNS) if rejected else None,
    )


def fingerprint(path: str) -> tuple[int, str]:
    """Size and sha256 of a file, read in pieces (a streaming format's file may be big)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while piece := fh.read(1 << 20):
            digest.update(piece)
            size += len(piece)
    return size, digest.hexdigest()


def _picker(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The named values as a tuple, at C speed when the parser gave every one of them."""
    getter = operator.itemgetter(*names)

    def pick(values: dict[str, Any]) -> tuple[Any, ...]:
        try:
            return getter(values)
        except KeyError:  # a parser left out an optional field
            return tuple(values.get(name) for name in names)

    return pick


def _arrow(rows: list[tuple[Any, ...]], columns: tuple[Column, ...]) -> pa.Table:
    """The rows as an Arrow table of `columns` and the int32 `_file` last."""
    names = [c.name for c in columns] + [FILE_INDEX]
    types = [arrow_type(c) for c in columns] + [pa.int32()]
    schema = pa.schema(list(zip(names, types, strict=True)))
    if not rows:
        return schema.empty_table()
    arrays = []
    for values, column, kind in zip(zip(*rows, strict=True), (*columns, None), types, strict=True):
        if column is not None and column.type == "decimal":
            values = [None if v is None else format(v, "f") for v in values]
        elif column is not None and column.type == "timestamp":
            values = [v if v is None or v.tzinfo is UTC else v.astimezone(UTC) for v in values]
        arrays.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(arrays, schema=schema)


# --- the worker processes ---------------------------------------------------------------


class ParsePool:
    """Parse chunks in order, each in this process or in the worker processes as told.

    The workers are fresh interpreters (`python -m backoffice.parsers.columnar`), each
    reading pickled chunks on its stdin and writing the parsed chunks on its stdout:
    no fork of a process holding DuckDB's threads (or, under Airflow, the task
    runner's), and no re-import of whatever script started the load, as
    multiprocessing's spawn would do. Chunks go round-robin, at most
    `IN_FLIGHT_PER_WORKER` per worker, and come back in the order sent: memory stays
    bounded however many files the feed has.

    The chunks are written to the workers by a thread, in the order sent, so the loading
    process never blocks on a worker's full stdin while that worker waits for its reply
    to be read: the reply awaited is always that of the oldest chunk, already written.
    """

    def __init__(
        self,
        feed: Feed,
        registry: Path,
        workers: int,
        parse: Callable[[bytes, str, Feed], Iterable[Any]] = parse_bytes,
    ) -> None:
        self.feed = feed
        self.registry = registry
        self.workers = workers
        self.parse = parse
        self.processes: list[subprocess.Popen] = []
        self.files_seen = 0
        self.outbox: queue.SimpleQueue[tuple[subprocess.Popen, bytes] | None] = queue.SimpleQueue()
        self.sender: threading.Thread | None = None

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:  # the load failed: no reply will be read, stop the workers
            for process in self.processes:
                process.kill()
        if self.sender is not None:
            self.outbox.put(None)
            self.sender.join()
            self.sender = None
        for process in self.processes:
            with contextlib.suppress(OSError):  # else it is gone already
                process.stdin.close()  # the worker reads the end and exits
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
        self.processes = []

    def map(
        self, chunks: Iterable[tuple[Any, list[ChunkItem] | None, bool]]
    ) -> Iterator[tuple[Any, ParsedChunk | None]]:
        """(tag, parsed chunk) for each (tag, items, in workers), in the order given; the
        tag travels alongside. Items None: nothing to parse here (the caller reads those
        files itself), yielded as (tag, None) in its turn."""
        pending: deque[tuple[Any, subprocess.Popen]] = deque()
        sent = 0
        for tag, items, in_workers in chunks:
            if items is None or not in_workers or self.workers <= 1:
                while pending:  # what was sent before comes back first
                    yield _receive(*pending.popleft())
                parsed = None if items is None else parse_chunk(self.feed, items, self.parse)
                self.files_seen += len(items or ())
                yield tag, parsed
                continue
            process = self._worker(sent % self.workers)
            self.files_seen += len(items)
            self.outbox.put((process, pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)))
            pending.append((tag, process))
            sent += 1
            if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                yield _receive(*pending.popleft())
        while pending:
            yield _receive(*pending.popleft())

    def _worker(self, number: int) -> subprocess.Popen:
        if not self.processes:
            log.info(
                "%s/%s: starting %d worker processes to parse, after %d files parsed here",
                self.feed.source,
                self.feed.name,
                self.workers,
                self.files_seen,
            )
        if self.sender is None:
            self.sender = threading.Thread(target=self._send, name="ingest-sender", daemon=True)
            self.sender.start()
        while len(self.processes) <= number:
            command = [sys.executable, "-m", __name__, str(self.registry), self.feed.source]
            self.processes.append(
                subprocess.Popen(
                    [*command, self.feed.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE
                )
            )
        return self.processes[number]

    def _send(self) -> None:
        """The sending thread: each chunk to its worker, in order, until told to stop."""
        while (message := self.outbox.get()) is not None:
            process, data = message
            try:
                process.stdin.write(data)
                process.stdin.flush()
            except OSError:  # the worker is gone: its reply's end of file says so
                pass


def _receive(tag: Any, process: subprocess.Popen) -> tuple[Any, ParsedChunk]:
    try:
        outcome = pickle.load(process.stdout)
    except EOFError:
        code = process.poll()
        raise RuntimeError(f"an ingest worker process stopped (exit code {code})") from None
    if isinstance(outcome, BaseException):
        raise outcome
    return tag, outcome


def _serve(registry: str, source: str, name: str) -> None:
    """A worker: parse each chunk read on stdin, write it (or the error) on stdout."""
    feed = load_registry(Path(registry)).feed(source, name)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the replies
    while True:
        try:
            items = pickle.load(requests)
        except EOFError:
            return
        try:
            outcome: Any = parse_chunk(feed, items)
        except Exception as exc:  # the loading process raises it and rolls back
            outcome = exc
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            data = pickle.dumps(RuntimeError(f"{type(outcome).__name__}: {outcome}"))
        replies.write(data)
        replies.flush()


if __name__ == "__main__":
    # Through the module's own name, so that what the worker pickles names that module.
    from backoffice.parsers.columnar import _serve as serve

    serve(*sys.argv[1:4])
