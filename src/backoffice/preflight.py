"""Plain answers for plain mistakes, before a night does any work.

A missing or empty landing zone, a date the DAG cannot run, a data directory
that cannot be written: the night stops at once with one sentence that names
the setting and the fix.
"""

from __future__ import annotations

from datetime import date

from backoffice.settings import Settings


def check_before_night(settings: Settings, as_of: date) -> None:
    """Raise a BackofficeError naming the setting and the fix; return when all is well."""
