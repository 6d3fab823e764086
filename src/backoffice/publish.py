"""Write, audit, publish: the back office only ever reads a checked warehouse.

A run writes a private build file. Only when dbt tests and GX checks pass is a
new, immutable copy published and the `CURRENT` pointer switched with an
atomic rename. Readers resolve the pointer once and open that copy read-only,
so a build never blocks them and they never see half-built data.

One copy a night, not two. The build is persistent: `publish` copies the
checked build into the new publication and notes, beside the build, which
publication it equals and the build file's fingerprint (size, modification
time, and a hash of DuckDB's headers, which change on every checkpoint). The
next night's `start_build` keeps that build as it is when the note still
matches the current publication and the file; otherwise (the last night
failed half way, someone wrote to the build, or the publication changed) it
lays the build down again as a copy of the current publication. So a night
that fails publishes nothing, and the next run for the same date starts from
exactly the published state; a night that succeeds costs one copy. The note
is removed as soon as a build starts: from then on the build is dirty until
it is published.

Only the newest `KEEP_PUBLICATIONS` publications are kept (the current one and
the nights before it, for the readers that ask for an earlier night); at W
bytes of warehouse the data directory holds about (KEEP_PUBLICATIONS + 1) x W
and a night writes about W (see docs/benchmarks.md for W at a million lines).

Without the full copy (BACKOFFICE_PUBLICATION=parts): the publication is a small
catalog file of views over content-addressed Parquet parts that publications
share (`warehouse/parts.py`); a night writes only the partitions that changed
(and, for the large tables dbt keeps by order line, only the order lines that changed),
and the data directory holds the build plus the union of the kept
publications' parts (about W plus the compressed warehouse plus what the kept
nights changed). Everything else stays: the same file names, the same pointer,
the same read-only opening, the same build note. A build that must be laid down
again is restored from the catalog's parts (a full write, but only after a
failed night). Parts no kept publication reads are removed when a night
publishes; a reader that keeps one connection open across `KEEP_PUBLICATIONS`
nights would lose its parts (the review app opens one per request).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from backoffice.errors import BackofficeError
from backoffice.settings import Settings
from backoffice.warehouse import parts

POINTER = "CURRENT"
KEEP_PUBLICATIONS = 3
BUILD_NOTE = ".published-as.json"  # beside the build: which publication it equals
CATALOG = "publication-catalog.duckdb"  # beside the build: a catalog being assembled
_HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers


class NoPublicationError(BackofficeError):
    """No run has published a warehouse yet."""


@dataclass(frozen=True)
class Publication:
    path: Path
    as_of: date
    published_at: datetime
    written: dict[str, int] = field(default_factory=dict)  # bytes and parts (parts mode)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "as_of": self.as_of.isoformat(),
            "published_at": self.published_at.isoformat(),
            **self.written,
        }


def start_build(settings: Settings) -> Path:
    """The build file, equal to the current publication (or empty when there is none).

    Kept as it is when it still equals the current publication (no copy);
    otherwise laid down again from it (a copy, or restored from a catalog's parts).
    """
    build = settings.build_warehouse
    build.parent.mkdir(parents=True, exist_ok=True)
    relink(settings)
    current = current_publication(settings)
    note = _read_note(build)
    _note_path(build).unlink(missing_ok=True)  # from here on the build is being written
    if current is not None and note == _fingerprint(build, current.name):
        return build
    for stale in (build, _wal(build)):
        stale.unlink(missing_ok=True)
    if current is not None:
        materialize(current, build)
    return build


def materialize(publication: Path, target: Path) -> None:
    """A writable warehouse file at `target` equal to `publication` (a copy or a catalog)."""
    target.unlink(missing_ok=True)
    manifest = parts.read_manifest(publication)
    if manifest is not None:
        parts.restore(manifest, target)
    else:
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(publication, tmp)
        os.replace(tmp, target)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)


def publish(settings: Settings, as_of: date, *, now: datetime | None = None) -> Publication:
    """Publish the checked build as a new immutable file and switch the pointer to it.

    A full copy, or (BACKOFFICE_PUBLICATION=parts) a catalog over the build's parts, of
    which only the changed ones are written.
    """
    build = settings.build_warehouse
    if not build.exists():
        raise FileNotFoundError(f"no build warehouse to publish at {build}")
    _checkpoint(build)
    published_at = now or datetime.now(UTC)
    stamp = published_at.strftime("%Y%m%dT%H%M%S%fZ")
    settings.published_dir.mkdir(parents=True, exist_ok=True)
    target = settings.published_dir / f"warehouse_{as_of.isoformat()}_{stamp}.duckdb"
    tmp = target.with_name(target.name + ".tmp")
    written: dict[str, int] = {}
    if settings.publication_mode == "parts":
        current = current_publication(settings)
        previous = parts.read_manifest(current) if current is not None else None
        catalog = build.with_name(CATALOG)  # assembled privately, then copied into place
        result = parts.publish_parts(build, catalog, settings.published_dir, previous)
        shutil.copyfile(catalog, tmp)
        catalog.unlink()
        written = result.to_dict()
    else:
        shutil.copyfile(build, tmp)
        written = {"bytes_written": tmp.stat().st_size}
    os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(tmp, target)
    _switch_pointer(settings.published_dir, target.name)
    _write_note(build, target.name)
    _prune(settings.published_dir, keep=target.name)
    return Publication(path=target, as_of=as_of, published_at=published_at, written=written)


def current_publication(settings: Settings) -> Path | None:
    pointer = settings.published_dir / POINTER
    if not pointer.exists():
        return None
    path = settings.published_dir / pointer.read_text(encoding="utf-8").strip()
    return path if path.exists() else None


def connect_published(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current publication, for the back office."""
    path = current_publication(settings)
    if path is None:
        raise NoPublicationError(
            f"no published warehouse under {settings.published_dir}: run `backoffice run` first"
        )
    con = duckdb.connect(str(path), read_only=True)
    # A catalog's views read its parts: the one directory a locked-down reader may still read.
    directory = parts.reads_from(con)
    if directory is not None:
        con.execute("set allowed_directories = [?]", [directory + "/"])
    return con


def relink(settings: Settings) -> list[Path]:
    """Point the kept catalogs at this data directory's parts after it was moved or restored.

    A catalog's views name their parts with absolute paths (any reader, in any directory,
    opens the file as it is); a data directory moved elsewhere gets its catalogs written again
    with the new paths, each replaced atomically. The next night does it; so can anyone.
    """
    here = str(parts.parts_dir(settings.published_dir))
    moved: list[Path] = []
    for catalog in sorted(settings.published_dir.glob("warehouse_*.duckdb")):
        manifest = parts.read_manifest(catalog)
        if manifest is None or manifest["parts_dir"] == here:
            continue
        files = {name for table in manifest["tables"] for name in parts.part_files(table)}
        if not all((Path(here) / name).exists() for name in files):
            continue  # its parts are not here: a catalog copied alone still reads the originals
        manifest["parts_dir"] = here
        info = catalog.stat()
        tmp = catalog.with_name(catalog.name + ".relink")
        parts.write_catalog(manifest, tmp)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.utime(tmp, ns=(info.st_atime_ns, info.st_mtime_ns))  # its age decides its pruning
        os.replace(tmp, catalog)
        moved.append(catalog)
    return moved


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file so that a plain copy is complete."""
    with duckdb.connect(str(path)) as con:
        con.execute("checkpoint")


def _wal(build: Path) -> Path:
    return build.with_name(build.name + ".wal")


def _note_path(build: Path) -> Path:
    return build.with_name(BUILD_NOTE)


def _fingerprint(build: Path, publication: str) -> dict[str, object] | None:
    """What says the build file is still the one published as `publication`."""
    if not build.exists() or _wal(build).exists():
        return None
    info = build.stat()
    with build.open("rb") as fh:
        head = hashlib.sha256(fh.read(_HEADER_BYTES)).hexdigest()
    return {
        "publication": publication,
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "header_sha256": head,
    }


def _read_note(build: Path) -> dict[str, object] | None:
    try:
        return json.loads(_note_path(build).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_note(build: Path, publication: str) -> None:
    fingerprint = _fingerprint(build, publication)
    if fingerprint is not None:
        tmp = _note_path(build).with_suffix(".tmp")
        tmp.write_text(json.dumps(fingerprint) + "\n", encoding="utf-8")
        os.replace(tmp, _note_path(build))


def _switch_pointer(directory: Path, name: str) -> None:
    tmp = directory / f".{POINTER}.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, directory / POINTER)


def _prune(directory: Path, *, keep: str) -> None:
    """Keep the newest publications, and the parts they read.

    An old copy may still be open by a reader, which is fine; an old catalog's parts go with it.
    """
    copies = sorted(
        (p for p in directory.glob("warehouse_*.duckdb") if p.name != keep),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in copies[: max(0, len(copies) - (KEEP_PUBLICATIONS - 1))]:
        old.unlink(missing_ok=True)
    parts.prune(directory, directory.glob("warehouse_*.duckdb"))
