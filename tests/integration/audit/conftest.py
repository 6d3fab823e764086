"""Three successive nights for the auditors' tests, built once per test run.

The shared `published_nights` (2 and 9 March 2026) are copied (never changed in place), the
control log and completeness of those two nights are read from the copy's current
publication, then a third night (16 March) runs in process on the copy. Under xdist the
first worker builds it under a file lock and the others load what it saved, as
`tests/conftest.py` does for `published_nights`."""

from __future__ import annotations

import os
import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest
from audit_support import AuditNights, read_table
from filelock import FileLock

THIRD_NIGHT = date(2026, 3, 16)


@pytest.fixture(scope="session")
def audit_nights(published_nights, tmp_path_factory) -> AuditNights:
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


@pytest.fixture(scope="session")
def audit_env(audit_nights) -> dict[str, str]:
    """The environment a `backoffice` command needs to read the audit nights."""
    return {
        "BACKOFFICE_LANDING_DIR": str(audit_nights.settings.landing_dir),
        "BACKOFFICE_DATA_DIR": str(audit_nights.settings.data_dir),
    }
