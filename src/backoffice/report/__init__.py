"""The nightly report: one HTML page a back-office lead opens each morning.

It shows the day's new exceptions, the open ones by type and severity, what customers are
owed, and the providers' KPIs, with inline SVG charts where a picture reads better than a
table. It is written after publication, from the published warehouse (read-only) and the
night's summary (backoffice.summary: what is owed, the files and rows, feed health are
computed there once and shown here), to `<data_dir>/reports/<as-of>/index.html`;
`<data_dir>/reports/latest.html` points to the newest one. The page is self-contained: no
scripts, no network, it opens from a file.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from backoffice.report.data import collect
from backoffice.report.page import Links, render
from backoffice.run_records import records
from backoffice.settings import Settings

if TYPE_CHECKING:
    from backoffice.summary import RunSummary

__all__ = ["latest_path", "report_path", "reports_dir", "write_report"]


def reports_dir(settings: Settings) -> Path:
    return settings.data_dir / "reports"


def report_path(settings: Settings, as_of: date) -> Path:
    """Where the report of the run as of `as_of` is written."""
    return reports_dir(settings) / as_of.isoformat() / "index.html"


def latest_path(settings: Settings) -> Path:
    return reports_dir(settings) / "latest.html"


def write_report(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    summary: RunSummary | None = None,
) -> Path:
    """Write the report of the run as of `as_of` from `con` (the publication) and return it.

    The figures the night's summary holds are the summary's (`summary`, the one the night
    writes to summary.json), so the page and the summary cannot disagree; without one (a
    report rewritten by hand) the summary is built here first. Also points
    `reports/latest.html` at it. Both files are replaced atomically, so a reader never
    opens half a page.
    """
    if summary is None:
        from backoffice.summary import build_summary  # the summary imports this package

        summary = build_summary(con, settings, as_of)
    path = report_path(settings, as_of)
    run_dir = records(settings, as_of).directory
    data = collect(con, as_of, summary, run_dir)
    glossary = settings.project_dir / "docs" / "glossary.md"
    links = Links(
        path.parent,
        settings.gx_dir / "data_docs" / "index.html",
        run_dir,
        glossary if glossary.is_file() else None,
        dbt_docs_page(settings),
    )
    _write_atomically(path, render(data, links))
    _write_atomically(latest_path(settings), _pointer_page(as_of))
    return path


def dbt_docs_page(settings: Settings) -> Path:
    """The night's dbt docs (written by the audit step before publication): one static page."""
    return settings.data_dir / "docs" / "dbt" / "index.html"


def _pointer_page(as_of: date) -> str:
    """A page that forwards to the newest report (a copy would break its relative links)."""
    target = f"{as_of.isoformat()}/index.html"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8"/>'
        f'<meta http-equiv="refresh" content="0; url={target}"/>'
        f"<title>Back-office nightly report {as_of.isoformat()}</title></head>"
        f'<body><p>The latest nightly report is <a href="{target}">{as_of.isoformat()}</a>.'
        "</p></body></html>\n"
    )


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
