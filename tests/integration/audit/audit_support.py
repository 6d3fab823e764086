"""Helpers of the auditors' tests (the fixtures are in this folder's conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[3]


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


def run_cli(monkeypatch, capsys, env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    """`backoffice <argv>` in this process, as a user runs it (exit code, stdout, stderr)."""
    from backoffice.cli import main

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
