"""Which publication follow-up reads: the current one, or the one of a chosen night.

Claim packs and statements may be asked "as of" a night that is no longer the
latest; the kept publications (publish.KEEP_PUBLICATIONS) answer for it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from backoffice import publish
from backoffice.errors import BackofficeError
from backoffice.settings import Settings


def publication_path(settings: Settings, as_of: date | None) -> Path:
    current = publish.current_publication(settings)
    if current is None:
        raise publish.NoPublicationError(
            f"no published warehouse under {settings.published_dir}: run `backoffice run` first"
        )
    if as_of is None or current.name.startswith(f"warehouse_{as_of.isoformat()}_"):
        return current
    kept = sorted(settings.published_dir.glob(f"warehouse_{as_of.isoformat()}_*.duckdb"))
    if not kept:
        dates = sorted(
            {p.name.split("_")[1] for p in settings.published_dir.glob("warehouse_*_*.duckdb")}
        )
        raise BackofficeError(
            f"no publication as of {as_of} is kept (kept: {', '.join(dates) or 'none'}); "
            "leave out --as-of for the latest, or run that night again"
        )
    return kept[-1]


def connect(
    settings: Settings, as_of: date | None = None
) -> tuple[duckdb.DuckDBPyConnection, date]:
    """A read-only connection to the publication and the date it judged."""
    con = duckdb.connect(str(publication_path(settings, as_of)), read_only=True)
    row = con.execute("select max(as_of) from marts.exceptions").fetchone()
    judged = row[0] if row and row[0] else as_of
    if judged is None:
        con.close()
        raise BackofficeError("the publication holds no exceptions table: run a night first")
    return con, judged
