"""Load a feed's new landed files into the raw tables of the build warehouse.

Called by the nightly DAG and the CLI, one feed at a time. A run as of D reads
every delivery folder dated D or earlier, file by file in date then name
order, and records every file it sees in raw.landed_files, so that:

- a path already recorded is skipped (a rerun of the same date changes nothing);
- the same bytes landed again under any path of the feed are recorded as a
  `redelivery` of the file first loaded (two feeds' empty files are not
  redeliveries of each other);
- a file that cannot be read, or whose name matches no pattern of the feed,
  is recorded as `unreadable` and its content quarantined as one row;
- whatever the registry does not expect (a folder under a feed whose name is
  not a delivery date, a file outside any delivery folder, a source or feed
  folder the registry does not know, a folder or special file inside a
  delivery folder) is recorded once as `unexpected`, with the reason in
  `error`: nothing in the landing zone is invisible;
- every other file is parsed and loaded with its rejected rows in raw.quarantine.

Why it is fast: what the feed already has is read once per load (its recorded
paths and the sha256 of its loaded files, as a set and a dict), not asked of
the warehouse file by file; the files of a load share one writer per table
(Arrow batches of up to `writer.BATCH_ROWS` rows) and the manifest rows are
inserted in batches too; up to `FILES_PER_TRANSACTION` files are committed
together. Parsers stream (signed envelopes are unwrapped in process), so a
large file never sits whole in memory. A format with `parse_batches` (delimited
files) has its clean rows typed set-based, a batch at a time, into Arrow columns
inserted as they are (parsers/arrowtyping.py); only the other rows are typed one by
one, by the same code as `parse` (the reference: SET_BASED = False loads through it).

What a crash can do: a batch of files is one transaction, so a crash loses
the whole batch and the rerun loads it again; a file that turns out unreadable
half way has its rows taken back out of the batch before it is recorded as
unreadable, so no file is ever half loaded. Counts reconcile per file
(rows_read = rows_loaded + rows_quarantined).

The load id is `<as_of>/<source>/<feed>` and `_loaded_at` is the last second of
D in Europe/Rome, so a rerun writes exactly the same rows.
"""

from __future__ import annotations

import base64
import contextlib
import fnmatch
import functools
import json
import logging
import os
import queue
import re
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from time import monotonic, sleep
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from backoffice.parsers import (
    FileUnreadable,
    Record,
    Rejection,
    get_format,
    parse_bytes,
    parse_file,
    read_header,
)
from backoffice.parsers.columnar import (
    CHUNK_FILES,
    FILE_INDEX,
    QUARANTINE_COLUMNS,
    ChunkItem,
    ParsedChunk,
    ParsePool,
    data_columns,
    fingerprint,
)
from backoffice.parsers.drift import compare, describe
from backoffice.parsers.records import HeaderMismatch, Rows
from backoffice.registry import Feed, Registry, load_registry
from backoffice.settings import PROJECT_DIR, Settings
from backoffice.warehouse import schema
from backoffice.warehouse.tables import TABLES, Column
from backoffice.warehouse.writer import (
    LANDED_FILES_COLUMNS,
    ArrowRowsWriter,
    BatchWriter,
    feed_quarantine_writer,
    feed_table_writer,
    landed_files_writer,
)

log = logging.getLogger(__name__)

ROME = ZoneInfo("Europe/Rome")
WHOLE_FILE_ROW = "file"
LOCK_WAIT_SECONDS = 600.0
RAW_FILE_LIMIT = 1 << 20  # bytes of an unreadable file kept in quarantine
FILES_PER_TRANSACTION = 1000  # a crash loses at most this many files' work
# A CSV/NDJSON load goes to the workers past this many bytes. Measured at 200,000 lines on
# the shared 2 cores, workers did not shorten such loads (38-160 MiB each) and cost 20-35 %
# more CPU: only loads beyond any of those (a million lines) use them.
PARALLEL_FROM_BYTES = 256 << 20
PARALLEL_FILE_BYTES = 16 << 20  # a bigger file streams in the loading process instead
CHUNK_BYTES = 4 << 20  # CSV/NDJSON files sent to a worker together, up to this many bytes
BYTES_PER_TRANSACTION = 256 << 20
PARSED_AHEAD_CHUNKS = 2048  # parsed invoice chunks waiting for the loading process (~200 MiB)
# Type clean rows set-based where the format can (`Format.parse_batches`); False loads
# every row through `Format.parse`, the reference the set-based path is tested against.
SET_BASED = True
SAMPLE_MARKER = ".backoffice-sample"  # written by `backoffice generate` at the landing root
_DELIVERY_DIR = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FeedLoadReport:
    """What one ingest of one feed did; rows_read = rows_loaded + rows_quarantined."""

    source: str
    feed: str
    files_loaded: int = 0
    files_redelivered: int = 0
    files_unreadable: int = 0
    files_unexpected: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (for Airflow XCom)."""
        return asdict(self)


@dataclass(frozen=True)
class Landed:
    """One entry of the landing zone as a load sees it.

    `problem` is set for what the registry does not expect (recorded `unexpected`);
    `delivery` is None for such an entry outside any delivery folder.
    """

    path: str  # a plain string: a Path per file costs more than the rest of the listing
    relative: str
    delivery: date | None
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class _Load:
    """What is the same for every file of one feed load."""

    feed: Feed
    load_id: str
    loaded_at: datetime
    as_of: date


def load_id_for(as_of: date, source: str, feed: str) -> str:
    """Deterministic: a rerun of the same date and feed computes the same id."""
    return f"{as_of.isoformat()}/{source}/{feed}"


def loaded_at_for(as_of: date) -> datetime:
    """The last second of the as-of day in Italy, as UTC: reruns stay reproducible."""
    return datetime.combine(as_of, time(23, 59, 59), ROME).astimezone(UTC)


def ensure_raw_schema(con: Any, registry: Registry | None = None) -> None:
    """Create raw.* (idempotent) and rewrite raw.state_map from the registry.

    Without `registry`, the project's own `config/providers.yml` is used.
    """
    if registry is None:
        registry = load_registry(PROJECT_DIR / "config" / "providers.yml")
    schema.ensure_raw_schema(con, registry)


def ingest_feed(
    settings: Settings,
    source: str,
    feed: str,
    as_of: date,
    *,
    warehouse: Path | None = None,
    ahead: _ParsedAhead | None = None,
) -> FeedLoadReport:
    """Load every new file of one feed delivered on or before `as_of`.

    Each feed's load also records what lies outside every feed folder and was
    never recorded (a few directory listings): whichever load runs first that
    night records it, so no extra scheduler step is needed. `ahead`: the feed's
    files already being parsed by the workers (`ingest_feeds`), used if the feed's
    recorded files are still those it started from.
    """
    registry = load_registry(settings.registry_path)
    spec = registry.feed(source, feed)
    path = warehouse or settings.build_warehouse
    path.parent.mkdir(parents=True, exist_ok=True)
    load = _Load(spec, load_id_for(as_of, source, feed), loaded_at_for(as_of), as_of)
    con = connect_for_writing(path)
    try:
        ensure_raw_schema(con, registry)
        _record_outside_feeds(con, settings.landing_dir, registry, as_of)
        batch = _Batch(con, load)
        recorded = _recorded_paths(con, source, feed)
        entries = (
            entry
            for entry in landed_entries(settings.landing_dir, spec, as_of)
            if entry.relative not in recorded
        )
        if ahead is not None and ahead.recorded == recorded:
            _load_in_chunks(settings, batch, entries, ahead.results())
        elif ahead is not None:  # stale: its workers stop before this load starts its own
            ahead.close()
            _load_in_chunks(settings, batch, entries)
        elif _whole_documents(spec) or settings.ingest_workers > 1:
            _load_in_chunks(settings, batch, entries)
        else:
            for entry in entries:
                batch.add(entry)
                if batch.full:
                    batch.commit()
        batch.commit()
    finally:
        con.close()
    report = batch.report()
    log.info("ingested %s/%s as of %s: %s", source, feed, as_of, report.to_dict())
    return report


def _whole_documents(feed: Feed) -> bool:
    """Whether the feed's files are small documents read whole from their bytes (FatturaPA):
    parsed in chunks of many files. Other formats stream and have a header that can drift."""
    fmt = get_format(feed.format)
    return fmt.parse_bytes is not None and fmt.read_header is None


def _load_in_chunks(
    settings: Settings,
    batch: _Batch,
    entries: Iterator[Landed],
    parsed_ahead: Iterator[tuple[Any, ParsedChunk | None]] | None = None,
) -> None:
    """Parse the files in chunks (in worker processes once the load is big enough: see
    `_chunks`), and record and insert each chunk here, in order, committing whole
    transactions. A file the workers do not take is loaded here, streaming, in its turn.
    `parsed_ahead`: the same chunks, parsed already (`_ParsedAhead`)."""
    feed = batch.load.feed
    pool = ParsePool(
        feed,
        settings.registry_path,
        settings.ingest_workers,
        parse_bytes,  # looked up now: a test may replace it
    )
    with pool:
        parsed_chunks = parsed_ahead or pool.map(_chunks(settings, entries, feed))
        for (chunk, commit_after), parsed in parsed_chunks:
            if parsed is None:
                for entry in chunk:
                    batch.add(entry)
            else:
                batch.add_chunk(chunk, parsed)
            if commit_after or batch.full:
                batch.commit()


def ingest_feeds(
    settings: Settings, as_of: date, *, warehouse: Path | None = None
) -> dict[str, FeedLoadReport | Exception]:
    """Every registry feed, as `ingest_feed` loads it: '<source>/<feed>' -> its report, or
    the exception that stopped it (logged; the other feeds still load), in registry order.

    Why not one feed after the other: the invoices (whole documents, parsed by the worker
    processes) would keep this process waiting for the workers, then the CSV and NDJSON
    feeds, parsed here, would leave the workers' core idle. Instead the invoice feeds'
    files start parsing in the workers first (`_ParsedAhead`), while this process loads
    the other feeds; their parsed chunks are written last. Both cores stay busy, and
    every feed loads exactly what `ingest_feed` alone would load.
    """
    registry = load_registry(settings.registry_path)
    names = list(registry.feeds())
    ahead: dict[tuple[str, str], _ParsedAhead] = {}
    outcomes: dict[tuple[str, str], FeedLoadReport | Exception] = {}
    try:
        if settings.ingest_workers > 1:
            for source, name in names:
                spec = registry.feed(source, name)
                if not _whole_documents(spec):
                    continue
                try:
                    ahead[source, name] = _ParsedAhead(settings, spec, as_of, warehouse)
                except Exception:  # the feed's own load, in its turn, says what is wrong
                    log.warning("%s/%s: not parsed ahead", source, name, exc_info=True)
        for source, name in sorted(names, key=lambda n: n in ahead):  # parsed ahead: last
            try:
                outcomes[source, name] = ingest_feed(
                    settings,
                    source,
                    name,
                    as_of,
                    warehouse=warehouse,
                    ahead=ahead.get((source, name)),
                )
            except Exception as failure:  # the other feeds still load
                log.exception("ingest of feed %s/%s failed", source, name)
                outcomes[source, name] = failure
    finally:
        for parsing in ahead.values():
            parsing.close()
    return {f"{source}/{name}": outcomes[source, name] for source, name in names}


class _Stopped(Exception):
    """The parse ahead is no longer wanted (its feed failed, or another did)."""


class _ParsedAhead:
    """One whole-document feed's new files, parsed in chunks by the worker processes in a
    thread of this process, while the feeds before it load.

    The files are those not recorded when it starts (`recorded`); `ingest_feed` uses the
    chunks only if the feed's recorded files are still the same then. At most
    `PARSED_AHEAD_CHUNKS` parsed chunks wait (about 64 invoices each): the workers stop
    when the loading process is that far behind, so memory stays bounded.
    """

    _END = object()

    def __init__(self, settings: Settings, feed: Feed, as_of: date, warehouse: Path | None) -> None:
        path = warehouse or settings.build_warehouse
        path.parent.mkdir(parents=True, exist_ok=True)
        con = connect_for_writing(path)
        try:
            ensure_raw_schema(con, load_registry(settings.registry_path))
            self.recorded = _recorded_paths(con, feed.source, feed.name)
        finally:
            con.close()
        entries = [
            entry
            for entry in landed_entries(settings.landing_dir, feed, as_of)
            if entry.relative not in self.recorded
        ]
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=PARSED_AHEAD_CHUNKS)
        self.stopped = threading.Event()
        self.pool = ParsePool(feed, settings.registry_path, settings.ingest_workers, parse_bytes)
        self.thread = threading.Thread(
            target=self._parse,
            args=(_chunks(settings, iter(entries), feed),),
            name=f"ingest-ahead-{feed.source}-{feed.name}",
            daemon=True,
        )
        self.thread.start()

    def _parse(self, chunks: Iterator[Chunk]) -> None:
        try:
            with self.pool:
                for item in self.pool.map(chunks):
                    self.queue.put(item)
                    if self.stopped.is_set():
                        raise _Stopped
        except _Stopped:
            return
        except BaseException as failure:  # raised in the loading process, in its turn
            self.queue.put(failure)
            return
        self.queue.put(self._END)

    def results(self) -> Iterator[tuple[Any, ParsedChunk | None]]:
        """The parsed chunks in order, as `ParsePool.map` gives them."""
        while (item := self.queue.get()) is not self._END:
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        """Stop the parse if it still runs (its workers are killed) and wait for it."""
        self.stopped.set()
        while self.thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self.queue.get(timeout=0.1)  # a full queue must not keep it waiting
        self.thread.join()


Chunk = tuple[tuple[list[Landed], bool], list[ChunkItem] | None, bool]


def _chunks(settings: Settings, entries: Iterator[Landed], feed: Feed) -> Iterator[Chunk]:
    """((entries, commit after them), the files to parse or None, in workers?).

    Invoices go in chunks of up to CHUNK_FILES, to the workers from the load's
    `ingest_parallel_from`-th file on. Files of a streaming format (CSV, NDJSON,
    Excel) go to the workers once the load has seen PARALLEL_FROM_BYTES, in chunks
    of up to CHUNK_BYTES, each file at most PARALLEL_FILE_BYTES (a worker holds its
    rows until it is done); any other is read here as it streams (None), in its turn.
    A chunk never straddles a transaction of FILES_PER_TRANSACTION entries.
    """
    whole = _whole_documents(feed)
    workers = settings.ingest_workers > 1
    chunk: list[Landed] = []
    in_transaction = files_seen = bytes_seen = chunk_bytes = 0
    for entry in entries:
        in_transaction += 1
        commit = in_transaction >= FILES_PER_TRANSACTION
        in_transaction = 0 if commit else in_transaction
        if whole:
            chunk.append(entry)
            if commit or len(chunk) >= CHUNK_FILES:
                in_workers = workers and files_seen >= settings.ingest_parallel_from
                yield (chunk, commit), _items(chunk, feed), in_workers
                files_seen += len(chunk)
                chunk = []
            continue
        size = _size(entry)
        eligible = workers and bytes_seen >= PARALLEL_FROM_BYTES and size <= PARALLEL_FILE_BYTES
        bytes_seen += size
        if not eligible:
            if chunk:
                yield (chunk, False), _items(chunk, feed), True
                chunk, chunk_bytes = [], 0
            yield ([entry], commit), None, False
            continue
        chunk.append(entry)
        chunk_bytes += size
        if commit or chunk_bytes >= CHUNK_BYTES or len(chunk) >= CHUNK_FILES:
            yield (chunk, commit), _items(chunk, feed), True
            chunk, chunk_bytes = [], 0
    if chunk:
        in_workers = not whole or (workers and files_seen >= settings.ingest_parallel_from)
        yield (chunk, False), _items(chunk, feed), in_workers


def _size(entry: Landed) -> int:
    if entry.problem is not None:
        return 0
    try:
        return os.stat(entry.path).st_size
    except OSError:
        return 0


def _items(chunk: list[Landed], feed: Feed) -> list[ChunkItem]:
    """The regular files of a chunk (an unexpected entry is only recorded, never read)."""
    return [
        ChunkItem(e.relative, e.path, e.delivery, matches_feed(e.name, feed))
        for e in chunk
        if e.problem is None and e.delivery is not None
    ]


def record_unexpected(settings: Settings, as_of: date, *, warehouse: Path | None = None) -> int:
    """Record what lies outside every feed folder (see `ingest_feed`); return how many."""
    registry = load_registry(settings.registry_path)
    con = connect_for_writing(warehouse or settings.build_warehouse)
    try:
        ensure_raw_schema(con, registry)
        return _record_outside_feeds(con, settings.landing_dir, registry, as_of)
    finally:
        con.close()


def connect_for_writing(path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Any:
    """Open the warehouse, waiting while another process holds DuckDB's single-writer lock.

    Feeds may be ingested by parallel tasks; each opens, loads and closes, so
    waiting for the lock serialises them instead of failing the run.
    """
    deadline = monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or monotonic() + delay > deadline:
                raise
            log.info("warehouse %s is locked by another writer; retrying", path)
            sleep(delay)
            delay = min(delay * 2, 5.0)


def delivered_files(landing: Path, feed: Feed, as_of: date) -> Iterator[tuple[date, Path]]:
    """(delivery date, file) of every regular file dated on or before as_of, date then name."""
    for entry in landed_entries(landing, feed, as_of):
        if entry.problem is None and entry.delivery is not None:
            yield entry.delivery, Path(entry.path)


def landed_entries(landing: Path, feed: Feed, as_of: date) -> Iterator[Landed]:
    """Everything under the feed's folder a run as of `as_of` must account for.

    Files of delivery folders dated on or before as_of, in date then name order,
    and whatever does not belong there (with the reason); a delivery folder dated
    later waits for its run.
    """
    feed_dir = landing / feed.source / feed.name
    if not feed_dir.exists() and not feed_dir.is_symlink():
        log.info("no landing folder %s", feed_dir)
        return
    if not feed_dir.is_dir():
        yield _odd(landing, feed_dir, "a file where the feed's folder should be")
        return
    prefix = f"{feed.source}/{feed.name}"
    for folder in _scan(feed_dir):
        relative = f"{prefix}/{folder.name}"
        kind = _kind(folder)
        if kind == "file":
            yield Landed(folder.path, relative, None, "a file directly under the feed folder, "
                         "outside any delivery folder (YYYY-MM-DD)")  # fmt: skip
            continue
        if kind != "folder":
            yield Landed(folder.path, relative, None, "not a regular file or folder")
            continue
        delivery = _delivery_date(folder.name)
        if delivery is None:
            yield Landed(folder.path, relative, None, "a folder under the feed whose name is "
                         "not a delivery date (YYYY-MM-DD); its content is not loaded")  # fmt: skip
            continue
        if delivery > as_of:
            continue
        for file in _scan(folder.path):
            path = f"{relative}/{file.name}"
            kind = _kind(file)
            if kind == "file":
                yield Landed(file.path, path, delivery)
            else:
                what = "a folder" if kind == "folder" else "not a regular file"
                yield Landed(file.path, path, delivery, f"{what} inside a delivery folder; "
                             "only the files directly in it are loaded")  # fmt: skip


def outside_feeds(landing: Path, registry: Registry) -> Iterator[Landed]:
    """What lies in the landing zone outside every feed folder of the registry."""
    if not landing.is_dir():
        return
    sources = registry.sources
    for top in _sorted_entries(landing):
        if top.name == SAMPLE_MARKER:
            continue
        if top.name not in sources or not stat.S_ISDIR(_mode(top)):
            if stat.S_ISDIR(_mode(top)):
                problem = (
                    f"a folder that is no source of the registry (sources: {', '.join(sources)})"
                )
            else:
                problem = "a file directly in the landing zone, outside any source folder"
            yield _odd(landing, top, problem)
            continue
        feeds = sources[top.name].feeds
        for second in _sorted_entries(top):
            if second.name in feeds:
                continue  # the feed's own load looks inside
            if stat.S_ISDIR(_mode(second)):
                problem = f"a folder that is no feed of {top.name} (feeds: {', '.join(feeds)})"
            else:
                problem = "a file directly under the source folder, outside any feed folder"
            yield _odd(landing, second, problem)


def parse_rows(path: Path, feed: Feed) -> Iterator[Record | Rejection | Rows]:
    """A streaming file's records as ingest loads them: clean rows typed set-based (Rows)
    where the format can, every row through `parse_file` otherwise (SET_BASED)."""
    batches = get_format(feed.format).parse_batches
    if SET_BASED and batches is not None:
        return batches(path, feed)
    return parse_file(path, feed)


def matches_feed(name: str, feed: Feed) -> bool:
    """Whether a file name matches one of the feed's patterns (case-insensitive)."""
    return _patterns(feed.patterns)(name.lower()) is not None


@functools.lru_cache(maxsize=64)
def _patterns(patterns: tuple[str, ...]) -> Callable[[str], re.Match | None]:
    """The feed's patterns as one compiled expression (fnmatch's own translation), asked
    once per file instead of compiling-and-matching each pattern per file."""
    joined = "|".join(f"(?:{fnmatch.translate(p.lower())})" for p in patterns)
    return re.compile(joined or "(?!)").match


class _Batch:
    """The files of one feed load, written through shared writers, committed in batches."""

    def __init__(self, con: Any, load: _Load) -> None:
        self.con = con
        self.load = load
        feed = load.feed
        self.first_loaded = _first_loaded(con, feed.source, feed.name)
        constants = {"_load_id": load.load_id, "_loaded_at": load.loaded_at}
        tables = [feed.kind, *get_format(feed.format).also_fills]
        self.tables = {name: feed_table_writer(con, TABLES[name], constants) for name in tables}
        self.typed = {name: ArrowRowsWriter(con, TABLES[name], constants) for name in tables}
        quarantine_constants = {
            "source": feed.source,
            "feed": feed.name,
            "load_id": load.load_id,
            "quarantined_at": load.loaded_at,
        }
        self.quarantine = feed_quarantine_writer(con, quarantine_constants)
        # Parsed chunks' Arrow tables waiting for the commit (one insert per table then).
        self.chunk_tables = {
            name: _ArrowInserts(f"raw.{name}", data_columns(TABLES[name]), constants)
            for name in tables
        }
        self.chunk_quarantine = _ArrowInserts(
            "raw.quarantine", QUARANTINE_COLUMNS, quarantine_constants
        )
        self.landed = BatchWriter(con, "raw.landed_files", _MANIFEST_COLUMNS, {})
        self.last_header = _last_header(con, feed.source, feed.name)  # schema drift
        self.has_header = get_format(feed.format).read_header is not None
        self.counts = dict.fromkeys(
            ("loaded", "redelivery", "unreadable", "unexpected", "rows", "quarantined"), 0
        )
        self.files = 0
        self.bytes = 0
        self.open = False

    @property
    def writers(self) -> list[BatchWriter | ArrowRowsWriter]:
        return [*self.tables.values(), *self.typed.values(), self.quarantine]

    @property
    def full(self) -> bool:
        return self.files >= FILES_PER_TRANSACTION or self.bytes >= BYTES_PER_TRANSACTION

    def add(self, entry: Landed) -> None:
        if not self.open:
            self.con.begin()
            self.open = True
        try:
            self._add(entry)
        except BaseException:
            self.con.rollback()
            self.open = False
            raise
        self.files += 1

    def add_chunk(self, entries: list[Landed], parsed: ParsedChunk) -> None:
        """Record a parsed chunk's files in order and queue its rows for the commit."""
        if not self.open:
            self.con.begin()
            self.open = True
        try:
            self._add_chunk(entries, parsed)
        except BaseException:
            self.con.rollback()
            self.open = False
            raise
        self.files += len(entries)

    def commit(self) -> None:
        if not self.open:
            return
        try:
            for writer in [*self.writers, self.landed]:
                writer.flush()
            for inserts in [*self.chunk_tables.values(), self.chunk_quarantine]:
                inserts.flush(self.con)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        finally:
            self.open = False
        self.files = self.bytes = 0

    def report(self) -> FeedLoadReport:
        c = self.counts
        return FeedLoadReport(
            source=self.load.feed.source,
            feed=self.load.feed.name,
            files_loaded=c["loaded"],
            files_redelivered=c["redelivery"],
            files_unreadable=c["unreadable"],
            files_unexpected=c["unexpected"],
            rows_read=c["rows"] + c["quarantined"],
            rows_loaded=c["rows"],
            rows_quarantined=c["quarantined"],
        )

    # --- one parsed chunk -------------------------------------------------------------

    def _add_chunk(self, entries: list[Landed], parsed: ParsedChunk) -> None:
        """The same decisions as `_add`, on what a worker read: unexpected, redelivery
        (whose rows are dropped), a name matching no pattern, unreadable, loaded."""
        load = self.load
        results = iter(parsed.files)
        dropped: list[int] = []
        index = -1
        for entry in entries:
            if entry.problem is not None or entry.delivery is None:
                self._add_unexpected(entry)
                continue
            index += 1
            result = next(results)
            self.bytes += result.size
            landed = _Fingerprinted(entry, result.size, result.sha256)
            first = self.first_loaded.get(result.sha256)
            if first is not None:
                log.info("%s: redelivery of %s", entry.relative, first)
                self._record(landed, "redelivery", duplicate_of=first)
                dropped.append(index)
            elif not matches_feed(entry.name, load.feed):
                self._unmatched(landed)
            elif result.error is not None and result.header_mismatch:
                header, drift = self._header(landed)
                error = drift + result.error
                self._unreadable(landed, error, self._keep_header(header, entry))
            elif result.error is not None:
                self._unreadable(landed, result.error)
            else:
                header = self._keep_header(self._header(landed)[0], entry)
                self._record(
                    landed,
                    "loaded",
                    loaded=result.loaded,
                    quarantined=result.quarantined,
                    header=header,
                )
                self.first_loaded[result.sha256] = entry.relative
        if next(results, None) is not None:
            raise RuntimeError("a parsed chunk holds more files than were sent")
        for name, rows in parsed.tables.items():
            self.chunk_tables[name].add(rows, dropped)
        if parsed.quarantine is not None:
            self.chunk_quarantine.add(parsed.quarantine, dropped)

    # --- one entry --------------------------------------------------------------------

    def _add(self, entry: Landed) -> None:
        load = self.load
        if entry.problem is not None:
            self._add_unexpected(entry)
            return
        size, sha256 = fingerprint(entry.path)
        self.bytes += size
        landed = _Fingerprinted(entry, size, sha256)
        first = self.first_loaded.get(sha256)
        if first is not None:
            log.info("%s: redelivery of %s", entry.relative, first)
            self._record(landed, "redelivery", duplicate_of=first)
            return
        if not matches_feed(entry.name, load.feed):
            self._unmatched(landed)
            return
        header, drift = self._header(landed)
        marks = [(w, w.pending, w.flushes) for w in self.writers]
        try:
            loaded, quarantined = self._load_rows(landed)
        except (FileUnreadable, UnicodeError) as exc:
            self._take_back(landed, marks)
            if isinstance(exc, HeaderMismatch):
                self._unreadable(landed, drift + str(exc), self._keep_header(header, entry))
            else:  # not read for another reason (encoding, format): its header means nothing
                self._unreadable(landed, str(exc))
            return
        header = self._keep_header(header, entry)
        self._record(landed, "loaded", loaded=loaded, quarantined=quarantined, header=header)
        self.first_loaded[sha256] = entry.relative
        log.debug("%s: loaded %d rows, quarantined %d", entry.relative, loaded, quarantined)

    def _add_unexpected(self, entry: Landed) -> None:
        load = self.load
        log.warning("%s: unexpected: %s", entry.relative, entry.problem)
        self.landed.add(_unexpected_row(entry, load.feed, load.load_id, load.as_of))
        self.counts["unexpected"] += 1

    def _unmatched(self, landed: _Fingerprinted) -> None:
        patterns = ", ".join(self.load.feed.patterns)
        self._unreadable(landed, f"the file name matches none of the feed's patterns ({patterns})")

    def _header(self, landed: _Fingerprinted) -> tuple[list[str] | None, str]:
        """The file's header, and its drift from the feed's previous header as a sentence.

        The header goes into the manifest (marts.schema_drift reads it) when the file
        loads or is refused for its header; the drift sentence then prefixes the reason.
        A format without a header row (FatturaPA) is not asked, file after file.
        """
        if not self.has_header:
            return None, ""
        try:
            header = read_header(Path(landed.entry.path), self.load.feed)
        except (FileUnreadable, UnicodeError, OSError):
            return None, ""  # the parse says why, as for any unreadable file
        before, since = self.last_header
        changes = compare(before, header) if header is not None and before is not None else []
        if not changes:
            return header, ""
        return header, f"the header changed since {since}: {describe(changes)}; "

    def _keep_header(self, header: list[str] | None, entry: Landed) -> list[str] | None:
        """The header the next file of the feed is compared with."""
        if header is not None:
            self.last_header = (header, entry.relative)
        return header

    def _load_rows(self, landed: _Fingerprinted) -> tuple[int, int]:
        lineage = (landed.entry.relative, landed.sha256, landed.entry.delivery)
        file_only = lineage[:2]
        tables = self.tables
        quarantine = self.quarantine
        loaded = quarantined = 0
        for item in parse_rows(Path(landed.entry.path), self.load.feed):
            if isinstance(item, Record):
                tables[item.table].add(item.values, (item.source_row, *lineage))
                loaded += 1
            elif isinstance(item, Rows):
                self.typed[item.table].add(item.rows, lineage)
                loaded += item.rows.num_rows
            else:
                quarantine.add(
                    {"source_row": item.source_row, "reason": item.reason, "raw_record": item.raw},
                    file_only,
                )
                quarantined += 1
        return loaded, quarantined

    def _take_back(
        self, landed: _Fingerprinted, marks: list[tuple[BatchWriter | ArrowRowsWriter, int, int]]
    ) -> None:
        """Remove a half-read file's rows: from the buffers, and from the tables if a
        batch went out meanwhile (inside this transaction: nobody saw them)."""
        for writer, pending, flushes in marks:
            if writer.flushes == flushes:
                writer.discard(pending)
                continue
            writer.discard(0)  # after that flush, the buffer held only this file's rows
            column = "source_file" if writer is self.quarantine else "_source_file"
            self.con.execute(
                f"delete from {writer.table} where {column} = ? and "
                f"{'load_id' if writer is self.quarantine else '_load_id'} = ?",
                [landed.entry.relative, self.load.load_id],
            )

    def _unreadable(
        self, landed: _Fingerprinted, error: str, header: list[str] | None = None
    ) -> None:
        """Record a file that could not be read, with its content as one quarantined row."""
        log.warning("%s: unreadable: %s", landed.entry.relative, error)
        self.quarantine.add(
            {
                "source_row": WHOLE_FILE_ROW,
                "reason": f"the whole file: {error}",
                "raw_record": _file_text(landed.entry.path, self.load.feed),
            },
            (landed.entry.relative, landed.sha256),
        )
        self._record(landed, "unreadable", quarantined=1, error=error, header=header)

    def _record(
        self,
        landed: _Fingerprinted,
        status: str,
        *,
        loaded: int = 0,
        quarantined: int = 0,
        duplicate_of: str | None = None,
        error: str | None = None,
        header: list[str] | None = None,
    ) -> None:
        load = self.load
        self.landed.add(
            {
                "file_path": landed.entry.relative,
                "source": load.feed.source,
                "feed": load.feed.name,
                "delivery_date": landed.entry.delivery,
                "size_bytes": landed.size,
                "file_sha256": landed.sha256,
                "load_id": load.load_id,
                "status": status,
                "duplicate_of": duplicate_of,
                "rows_read": loaded + quarantined,
                "rows_loaded": loaded,
                "rows_quarantined": quarantined,
                "error": error,
                "loaded_at": load.loaded_at,
                "header_columns": None if header is None else json.dumps(header),
            }
        )
        self.counts[status] += 1
        self.counts["rows"] += loaded
        self.counts["quarantined"] += quarantined


class _ArrowInserts:
    """Parsed chunks' rows for one raw table, inserted together at the commit.

    The chunks' Arrow columns (`parsers/columnar.py`) are concatenated and inserted
    with one INSERT ... SELECT; decimals arrive as exact text and are cast here, and
    the values the same for the whole load are bound once.
    """

    def __init__(self, table: str, columns: tuple[Column, ...], constants: dict[str, Any]):
        self.table = table
        self.columns = columns
        self.constants = constants
        self.pending: list[pa.Table] = []

    def add(self, rows: pa.Table, dropped: list[int]) -> None:
        if dropped:  # a redelivery found once its sha256 was known: its rows never load
            rows = rows.filter(pc.invert(pc.is_in(rows[FILE_INDEX], pa.array(dropped, pa.int32()))))
        if rows.num_rows:
            self.pending.append(rows)

    def flush(self, con: Any) -> None:
        if not self.pending:
            return
        rows = pa.concat_tables(self.pending)
        self.pending = []
        names = [c.name for c in self.columns]
        selects = [
            f'cast("{c.name}" as {c.sql_type})' if c.type == "decimal" else f'"{c.name}"'
            for c in self.columns
        ]
        con.register("_chunk_rows", rows)
        try:
            con.execute(
                f"insert into {self.table} ({', '.join([*names, *self.constants])}) "
                f"select {', '.join(selects + ['?'] * len(self.constants))} from _chunk_rows",
                list(self.constants.values()),
            )
        finally:
            con.unregister("_chunk_rows")


@dataclass(frozen=True)
class _Fingerprinted:
    entry: Landed
    size: int
    sha256: str


def _record_outside_feeds(con: Any, landing: Path, registry: Registry, as_of: date) -> int:
    """Record, once, what lies outside every feed folder; one small transaction."""
    entries = list(outside_feeds(landing, registry))
    if not entries:
        return 0
    known = {
        row[0]
        for row in con.execute(
            "select file_path from raw.landed_files where status = 'unexpected'"
        ).fetchall()
    }
    new = [e for e in entries if e.relative not in known]
    if not new:
        return 0
    load_id = f"{as_of.isoformat()}/unexpected"
    con.begin()
    try:
        writer = landed_files_writer(con)
        for entry in new:
            log.warning("%s: unexpected: %s", entry.relative, entry.problem)
            writer.add(_unexpected_row(entry, None, load_id, as_of))
        writer.flush()
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return len(new)


def _unexpected_row(entry: Landed, feed: Feed | None, load_id: str, as_of: date) -> dict:
    """A manifest row for an unexpected entry: source and feed from its path, the night
    that first saw it as its delivery date, the sha256 of a regular file's bytes."""
    parts = entry.relative.split("/")
    mode = _mode(entry.path)
    regular = stat.S_ISREG(mode)
    size, sha256 = fingerprint(entry.path) if regular else (0, "")
    return {
        "file_path": entry.relative,
        "source": feed.source if feed else (parts[0] if len(parts) > 1 else ""),
        "feed": feed.name if feed else (parts[1] if len(parts) > 2 else ""),
        "delivery_date": entry.delivery or as_of,
        "size_bytes": size,
        "file_sha256": sha256,
        "load_id": load_id,
        "status": "unexpected",
        "duplicate_of": None,
        "rows_read": 0,
        "rows_loaded": 0,
        "rows_quarantined": 0,
        "error": entry.problem,
        "loaded_at": loaded_at_for(as_of),
    }


# The manifest's columns, and the header each file had (raw_schema.sql: header_columns).
_MANIFEST_COLUMNS = (*LANDED_FILES_COLUMNS, Column("header_columns", "text"))


def _last_header(con: Any, source: str, feed: str) -> tuple[list[str] | None, str]:
    """The header of the feed's latest recorded file that had one, and that file."""
    row = con.execute(
        "select header_columns, file_path from raw.landed_files "
        "where source = ? and feed = ? and header_columns is not null "
        "order by delivery_date desc, file_path desc limit 1",
        [source, feed],
    ).fetchone()
    return (json.loads(row[0]), row[1]) if row else (None, "")


def _recorded_paths(con: Any, source: str, feed: str) -> set[str]:
    """Every path of the feed already recorded: one query per load, not one per file."""
    rows = con.execute(
        "select file_path from raw.landed_files where source = ? and feed = ?", [source, feed]
    ).fetchall()
    return {row[0] for row in rows}


def _first_loaded(con: Any, source: str, feed: str) -> dict[str, str]:
    """sha256 -> the file first loaded with those bytes, for the feed's redeliveries."""
    rows = con.execute(
        "select file_sha256, arg_min(file_path, (delivery_date, file_path)) "
        "from raw.landed_files where status = 'loaded' and source = ? and feed = ? group by 1",
        [source, feed],
    ).fetchall()
    return dict(rows)


def _odd(landing: Path, path: Path, problem: str) -> Landed:
    return Landed(str(path), path.relative_to(landing).as_posix(), None, problem)


def _sorted_entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir(), key=lambda p: p.name)


def _scan(folder: Path | str) -> list[os.DirEntry]:
    """A folder's entries by name: os.scandir knows each entry's type without a stat."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda e: e.name)


def _kind(entry: os.DirEntry) -> str:
    """file, folder or other; a symbolic link counts as what it names (as `_mode`)."""
    try:
        if entry.is_file():
            return "file"
        if entry.is_dir():
            return "folder"
    except OSError:
        pass
    return "other"


def _mode(path: Path | str) -> int:
    """The entry's own type (a symbolic link to a file counts as the file it names)."""
    try:
        return os.stat(path).st_mode
    except OSError:
        return os.lstat(path).st_mode


def _delivery_date(name: str) -> date | None:
    if not _DELIVERY_DIR.fullmatch(name):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def _file_text(file: Path | str, feed: Feed) -> str:
    """An unreadable file's content as text: decoded if it can be, else base64."""
    with open(file, "rb") as fh:
        data = fh.read(RAW_FILE_LIMIT + 1)
    truncated = len(data) > RAW_FILE_LIMIT
    data = data[:RAW_FILE_LIMIT]
    encodings = ["utf-8"] + ([feed.dialect.encoding] if feed.dialect else [])
    text = None
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        text = "base64:" + base64.b64encode(data).decode("ascii")
    if truncated:
        text += f" [truncated after {RAW_FILE_LIMIT} bytes; see the landed file]"
    return text
