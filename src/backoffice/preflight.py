"""Plain answers for plain mistakes, before a night does any work.

A missing or empty landing zone, a date the DAG cannot run, a data directory
that cannot be written: the night stops at once with one sentence that names
the setting and the fix. Without these checks a new user waits a minute for
a data check to fail on an empty observed value, or for Airflow to mark a run
before the DAG's start date a success with no tasks.

The checks only look (a directory listing that stops at the first file, one
small probe file): they cost milliseconds, so every night runs them, in the
DAG's first task and in `run_night`, and the CLI may call them before it
starts Airflow.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

ROME = ZoneInfo("Europe/Rome")
# The first date the nightly DAG can judge: its start_date (dags/backoffice_nightly.py).
DAG_START_DATE = date(2026, 1, 1)
LAYOUT = "<source>/<feed>/<YYYY-MM-DD>/<file>"


def check_before_night(settings: Settings, as_of: date, *, today: date | None = None) -> None:
    """Raise a BackofficeError naming the setting and the fix; return when all is well.

    `today` is the current date in Italy (tests pin it); by default the clock's.
    A date after today is refused unless BACKOFFICE_ALLOW_FUTURE_AS_OF is set
    (generated samples dated ahead of the clock).
    """
    check_as_of(as_of, today=today, allow_future=settings.allow_future_as_of)
    check_landing_dir(settings.landing_dir)
    check_data_dir(settings.data_dir)


def check_as_of(as_of: date, *, today: date | None = None, allow_future: bool = False) -> None:
    """The as-of date must be one the DAG can run: from its start date to today in Italy."""
    today = today or datetime.now(ROME).date()
    if as_of < DAG_START_DATE:
        raise BackofficeError(
            f"The as-of date {as_of} is before the nightly DAG's start date "
            f"{DAG_START_DATE}, so Airflow would run nothing: choose --as-of "
            f"{DAG_START_DATE} or later."
        )
    if as_of > today and not allow_future:
        raise BackofficeError(
            f"The as-of date {as_of} is in the future (today in Italy is {today}): choose "
            f"--as-of {today} or earlier, once that day's deliveries have landed (or set "
            f"BACKOFFICE_ALLOW_FUTURE_AS_OF=1 to run a generated sample dated ahead)."
        )


def check_landing_dir(landing: Path) -> None:
    """The landing zone must exist, be a folder, and hold at least one delivered file."""
    if not landing.exists():
        raise BackofficeError(
            f"BACKOFFICE_LANDING_DIR points to {landing}, which does not exist: set it to the "
            f"folder where the providers' exports land ({LAYOUT})."
        )
    if not landing.is_dir():
        raise BackofficeError(
            f"BACKOFFICE_LANDING_DIR points to {landing}, which is a file, not a folder: set it "
            f"to the folder where the providers' exports land ({LAYOUT})."
        )
    try:
        empty = not _holds_a_file(landing)
    except OSError as exc:
        raise BackofficeError(
            f"BACKOFFICE_LANDING_DIR points to {landing}, which cannot be read "
            f"({exc.strerror}): give this user read access to it, or set it to another folder."
        ) from None
    if empty:
        raise BackofficeError(
            f"BACKOFFICE_LANDING_DIR points to {landing}, which holds no file: set it to the "
            f"folder where the providers' exports land ({LAYOUT}), or copy the deliveries there "
            f"(`backoffice generate` writes a sample)."
        )


def check_data_dir(data: Path) -> None:
    """The data directory must be a folder this process can create and write into."""
    try:
        data.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data, prefix=".write-probe-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BackofficeError(
            f"BACKOFFICE_DATA_DIR points to {data}, which cannot be written ({reason}): set it "
            f"to a folder this user can write, or fix its permissions."
        ) from None


def _holds_a_file(folder: Path) -> bool:
    """Whether any regular file lies below `folder`; stops at the first one found."""
    stack = [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_file():
                    return True
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
    return False
