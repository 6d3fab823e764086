"""Write, audit, publish: the back office only ever reads a checked warehouse.

A run writes a private build file. Only when dbt tests and GX checks pass is a
new, immutable copy published and the `CURRENT` pointer switched with an
atomic rename. Readers resolve the pointer once and open that copy read-only,
so a build never blocks them and they never see half-built data.

The build starts from a copy of the current publication: a run that fails
its checks is thrown away whole (its loads included), and the next run for
the same date starts from exactly the same state.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

POINTER = "CURRENT"
KEEP_PUBLICATIONS = 14


class NoPublicationError(BackofficeError):
    """No run has published a warehouse yet."""


@dataclass(frozen=True)
class Publication:
    path: Path
    as_of: date
    published_at: datetime

    def to_dict(self) -> dict[str, str]:
        return {
            "path": str(self.path),
            "as_of": self.as_of.isoformat(),
            "published_at": self.published_at.isoformat(),
        }


def start_build(settings: Settings) -> Path:
    """Lay the build file down as a copy of the current publication (or empty)."""
    build = settings.build_warehouse
    build.parent.mkdir(parents=True, exist_ok=True)
    for stale in (build, build.with_name(build.name + ".wal")):
        stale.unlink(missing_ok=True)
    current = current_publication(settings)
    if current is not None:
        tmp = build.with_name(build.name + ".tmp")
        shutil.copyfile(current, tmp)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(tmp, build)
    return build


def publish(settings: Settings, as_of: date, *, now: datetime | None = None) -> Publication:
    """Copy the checked build to a new immutable file and switch the pointer to it."""
    build = settings.build_warehouse
    if not build.exists():
        raise FileNotFoundError(f"no build warehouse to publish at {build}")
    _checkpoint(build)
    published_at = now or datetime.now(UTC)
    stamp = published_at.strftime("%Y%m%dT%H%M%S%fZ")
    settings.published_dir.mkdir(parents=True, exist_ok=True)
    target = settings.published_dir / f"warehouse_{as_of.isoformat()}_{stamp}.duckdb"
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(build, tmp)
    os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(tmp, target)
    _switch_pointer(settings.published_dir, target.name)
    _prune(settings.published_dir, keep=target.name)
    return Publication(path=target, as_of=as_of, published_at=published_at)


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
    return duckdb.connect(str(path), read_only=True)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file so that a plain copy is complete."""
    with duckdb.connect(str(path)) as con:
        con.execute("checkpoint")


def _switch_pointer(directory: Path, name: str) -> None:
    tmp = directory / f".{POINTER}.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, directory / POINTER)


def _prune(directory: Path, *, keep: str) -> None:
    """Keep the newest publications; an old copy may still be open by a reader, which is fine."""
    copies = sorted(
        (p for p in directory.glob("warehouse_*.duckdb") if p.name != keep),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in copies[: max(0, len(copies) - (KEEP_PUBLICATIONS - 1))]:
        old.unlink(missing_ok=True)
