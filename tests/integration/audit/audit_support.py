"""Three successive nights for the auditors' tests, and helpers to read them.

The shared `published_nights` (2 and 9 March 2026) are copied (never changed in place), the
control log and completeness of those two nights are read from the copy's current
publication, then a third night (16 March) runs in process on the copy. Each test module
wraps `three_nights` in a module fixture; the nights are built once per test run. (No
conftest.py here: a second module named `conftest` would break the pickling of the shared
nights.)"""

from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
from filelock import FileLock

REPO = Path(__file__).resolve().parents[3]
THIRD_NIGHT = date(2026, 3, 16)


@dataclass
class AuditNights:
    """Three nights on one data directory, and what the shared first two published."""

    settings: object
    dates: tuple[date, ...]
    original_publications: dict[date, Path]  # the shared nights' files: read them, never write
    log_before: list[tuple] = field(default_factory=list)
    completeness_before: list[tuple] = field(default_factory=list)


def read_table(settings, sql: str) -> list[tuple]:
    from backoffice import publish

    with duckdb.connect(str(publish.current_publication(settings)), read_only=True) as con:
        return con.execute(sql).fetchall()


def run_cli(monkeypatch, capsys, nights, *argv: str) -> tuple[int, str, str]:
    """`backoffice <argv>` on the nights, in this process, as a user runs it.

    Returns the exit code, stdout and stderr.
    """
    from backoffice.cli import main

    for key, value in env_of(nights).items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def three_nights(published_nights, tmp_path_factory) -> AuditNights:
    """The shared two nights copied, and a third night on the copy: built once per test run.

    Under xdist the first worker builds it under a file lock and the others load what it
    saved, as `tests/conftest.py` does for `published_nights`.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    saved = base / "audit-nights.pickle"
    with FileLock(str(base / "audit-nights.lock")):
        if saved.exists():
            return pickle.loads(saved.read_bytes())
        nights = _build(published_nights, base / "audit-nights")
        saved.write_bytes(pickle.dumps(nights))
        return nights


def _build(published_nights, root: Path) -> AuditNights:
    from backoffice import pipeline
    from backoffice.settings import Settings

    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(published_nights.root / "landing", root / "landing", symlinks=True)
    shutil.copytree(published_nights.root / "data", root / "data", symlinks=True)
    settings = Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(root / "landing"),
            "BACKOFFICE_DATA_DIR": str(root / "data"),
        }
    )
    nights = AuditNights(
        settings,
        (*published_nights.dates, THIRD_NIGHT),
        dict(published_nights.publications),
    )
    nights.log_before = read_table(settings, "select * from audit.control_log order by all")
    nights.completeness_before = read_table(
        settings, "select * from audit.completeness order by all"
    )
    pipeline.run_night(settings, THIRD_NIGHT)
    return nights


def env_of(nights: AuditNights) -> dict[str, str]:
    """The environment a `backoffice` command needs to read the nights."""
    return {
        "BACKOFFICE_LANDING_DIR": str(nights.settings.landing_dir),
        "BACKOFFICE_DATA_DIR": str(nights.settings.data_dir),
    }
