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
- every other file is parsed and loaded in one transaction with its
  rejected rows in raw.quarantine: a crash never leaves half a file.

The load id is `<as_of>/<source>/<feed>` and `_loaded_at` is the last second of
D in Europe/Rome, so a rerun writes exactly the same rows.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from time import monotonic, sleep
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from backoffice.parsers import FileUnreadable, Record, parse_file
from backoffice.registry import Feed, Registry, load_registry
from backoffice.settings import PROJECT_DIR, Settings
from backoffice.warehouse import schema
from backoffice.warehouse.tables import TABLES
from backoffice.warehouse.writer import BatchWriter, quarantine_writer, table_writer

log = logging.getLogger(__name__)

ROME = ZoneInfo("Europe/Rome")
WHOLE_FILE_ROW = "file"
LOCK_WAIT_SECONDS = 600.0
RAW_FILE_LIMIT = 1 << 20  # bytes of an unreadable file kept in quarantine
_DELIVERY_DIR = re.compile(r"\d{4}-\d{2}-\d{2}")
_FATTURAPA_SUMMARIES = "invoice_vat_summaries"


@dataclass(frozen=True)
class FeedLoadReport:
    """What one ingest of one feed did; rows_read = rows_loaded + rows_quarantined."""

    source: str
    feed: str
    files_loaded: int = 0
    files_redelivered: int = 0
    files_unreadable: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (for Airflow XCom)."""
        return asdict(self)


@dataclass(frozen=True)
class _Load:
    """What is the same for every file of one feed load."""

    feed: Feed
    load_id: str
    loaded_at: datetime


@dataclass(frozen=True)
class _Outcome:
    status: str
    rows_loaded: int = 0
    rows_quarantined: int = 0


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
) -> FeedLoadReport:
    """Load every new file of one feed delivered on or before `as_of`."""
    registry = load_registry(settings.registry_path)
    spec = registry.feed(source, feed)
    path = warehouse or settings.build_warehouse
    path.parent.mkdir(parents=True, exist_ok=True)
    load = _Load(spec, load_id_for(as_of, source, feed), loaded_at_for(as_of))
    counts = dict.fromkeys(("loaded", "redelivery", "unreadable", "loaded_rows", "quarantined"), 0)
    con = connect_for_writing(path)
    try:
        ensure_raw_schema(con, registry)
        for delivery, file in delivered_files(settings.landing_dir, spec, as_of):
            relative = file.relative_to(settings.landing_dir).as_posix()
            if _already_recorded(con, relative):
                continue
            outcome = _ingest_file(con, load, file, relative, delivery)
            counts[outcome.status] += 1
            counts["loaded_rows"] += outcome.rows_loaded
            counts["quarantined"] += outcome.rows_quarantined
    finally:
        con.close()
    report = FeedLoadReport(
        source=source,
        feed=feed,
        files_loaded=counts["loaded"],
        files_redelivered=counts["redelivery"],
        files_unreadable=counts["unreadable"],
        rows_read=counts["loaded_rows"] + counts["quarantined"],
        rows_loaded=counts["loaded_rows"],
        rows_quarantined=counts["quarantined"],
    )
    log.info("ingested %s/%s as of %s: %s", source, feed, as_of, report.to_dict())
    return report


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
    """(delivery date, file) of every file dated on or before as_of, date then name order."""
    feed_dir = landing / feed.source / feed.name
    if not feed_dir.is_dir():
        log.info("no landing folder %s", feed_dir)
        return
    for folder in sorted(feed_dir.iterdir()):
        delivery = _delivery_date(folder)
        if delivery is None:
            log.warning("ignoring %s: not a YYYY-MM-DD delivery folder", folder)
            continue
        if delivery > as_of:
            continue
        for file in sorted(folder.iterdir(), key=lambda p: p.name):
            if file.is_file():
                yield delivery, file
            else:
                log.warning("ignoring %s: not a regular file", file)


def _delivery_date(folder: Path) -> date | None:
    if not folder.is_dir() or not _DELIVERY_DIR.fullmatch(folder.name):
        return None
    try:
        return date.fromisoformat(folder.name)
    except ValueError:
        return None


def matches_feed(name: str, feed: Feed) -> bool:
    """Whether a file name matches one of the feed's patterns (case-insensitive)."""
    return any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in feed.patterns)


def _ingest_file(con: Any, load: _Load, file: Path, relative: str, delivery: date) -> _Outcome:
    size, sha256 = _fingerprint(file)
    landed = {
        "file_path": relative,
        "delivery_date": delivery,
        "size_bytes": size,
        "file_sha256": sha256,
    }
    first = con.execute(
        "select file_path from raw.landed_files where file_sha256 = ? and status = 'loaded' "
        "and source = ? and feed = ? order by delivery_date, file_path limit 1",
        [sha256, load.feed.source, load.feed.name],
    ).fetchone()
    if first is not None:
        log.info("%s: redelivery of %s", relative, first[0])
        _record(con, load, landed, "redelivery", duplicate_of=first[0])
        return _Outcome("redelivery")
    if not matches_feed(file.name, load.feed):
        patterns = ", ".join(load.feed.patterns)
        problem = f"the file name matches none of the feed's patterns ({patterns})"
        return _unreadable(con, load, file, landed, problem)
    con.begin()
    try:
        loaded, quarantined = _load_rows(con, load, file, landed)
        _record(con, load, landed, "loaded", loaded=loaded, quarantined=quarantined)
        con.commit()
    except (FileUnreadable, UnicodeError) as exc:
        con.rollback()
        return _unreadable(con, load, file, landed, str(exc))
    except BaseException:
        con.rollback()
        raise
    log.info("%s: loaded %d rows, quarantined %d", relative, loaded, quarantined)
    return _Outcome("loaded", loaded, quarantined)


def _load_rows(con: Any, load: _Load, file: Path, landed: dict[str, Any]) -> tuple[int, int]:
    """Parse the file and insert its rows and rejections; the caller owns the transaction."""
    lineage = {
        "_source_file": landed["file_path"],
        "_file_sha256": landed["file_sha256"],
        "_load_id": load.load_id,
        "_delivery_date": landed["delivery_date"],
        "_loaded_at": load.loaded_at,
    }
    writers: dict[str, BatchWriter] = {}
    tables = [load.feed.kind]
    if load.feed.format == "fatturapa":
        tables.append(_FATTURAPA_SUMMARIES)
    for name in tables:
        writers[name] = table_writer(con, TABLES[name], lineage)
    quarantine = quarantine_writer(con, _quarantine_constants(load, landed))
    for item in parse_file(file, load.feed):
        if isinstance(item, Record):
            values = item.values
            values["_source_row"] = item.source_row
            writers[item.table].add(values)
        else:
            quarantine.add(
                {"source_row": item.source_row, "reason": item.reason, "raw_record": item.raw}
            )
    for writer in [*writers.values(), quarantine]:
        writer.flush()
    return sum(w.written for w in writers.values()), quarantine.written


def _unreadable(con: Any, load: _Load, file: Path, landed: dict[str, Any], error: str) -> _Outcome:
    """Record a file that could not be read, with its content as one quarantined row."""
    log.warning("%s: unreadable: %s", landed["file_path"], error)
    con.begin()
    try:
        quarantine = quarantine_writer(con, _quarantine_constants(load, landed))
        quarantine.add(
            {
                "source_row": WHOLE_FILE_ROW,
                "reason": f"the whole file: {error}",
                "raw_record": _file_text(file, load.feed),
            }
        )
        quarantine.flush()
        _record(con, load, landed, "unreadable", quarantined=1, error=error)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return _Outcome("unreadable", 0, 1)


def _record(
    con: Any,
    load: _Load,
    landed: dict[str, Any],
    status: str,
    *,
    loaded: int = 0,
    quarantined: int = 0,
    duplicate_of: str | None = None,
    error: str | None = None,
) -> None:
    con.execute(
        "insert into raw.landed_files (file_path, source, feed, delivery_date, size_bytes, "
        "file_sha256, load_id, status, duplicate_of, rows_read, rows_loaded, rows_quarantined, "
        "error, loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            landed["file_path"],
            load.feed.source,
            load.feed.name,
            landed["delivery_date"],
            landed["size_bytes"],
            landed["file_sha256"],
            load.load_id,
            status,
            duplicate_of,
            loaded + quarantined,
            loaded,
            quarantined,
            error,
            load.loaded_at,
        ],
    )


def _quarantine_constants(load: _Load, landed: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": load.feed.source,
        "feed": load.feed.name,
        "source_file": landed["file_path"],
        "file_sha256": landed["file_sha256"],
        "load_id": load.load_id,
        "quarantined_at": load.loaded_at,
    }


def _already_recorded(con: Any, relative: str) -> bool:
    row = con.execute("select 1 from raw.landed_files where file_path = ?", [relative]).fetchone()
    return row is not None


def _fingerprint(file: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with file.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _file_text(file: Path, feed: Feed) -> str:
    """An unreadable file's content as text: decoded if it can be, else base64."""
    with file.open("rb") as fh:
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
