"""Where a night's records live: `runs/<as_of>/` and the files in it, known in one place.

Every module that writes or reads a night's records (the night's steps, the
CLI's `run`, the report, the summary, the benchmark) asks here instead of
joining paths by hand, so moving or renaming a record is one change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from backoffice.settings import Settings

SUMMARY_JSON = "summary.json"
SUMMARY_TXT = "summary.txt"
CHECKS_JSON = "checks.json"
WARNINGS_JSON = "warnings.json"
FAILURE_TXT = "failure.txt"
AIRFLOW_LOG = "airflow.log"
BENCH_JSON = "bench.json"

# What a new attempt at the same night removes first, so a stale record never passes
# for the new attempt's.
PER_ATTEMPT = (SUMMARY_TXT, SUMMARY_JSON, FAILURE_TXT)


@dataclass(frozen=True)
class RunRecords:
    """The records of the night as of `as_of`."""

    directory: Path

    @property
    def summary_json(self) -> Path:
        return self.directory / SUMMARY_JSON

    @property
    def summary_txt(self) -> Path:
        return self.directory / SUMMARY_TXT

    @property
    def checks_json(self) -> Path:
        return self.directory / CHECKS_JSON

    @property
    def warnings_json(self) -> Path:
        """The night's warnings (the audit's `_write_warnings`)."""
        return self.directory / WARNINGS_JSON

    @property
    def failure_txt(self) -> Path:
        return self.directory / FAILURE_TXT

    @property
    def airflow_log(self) -> Path:
        return self.directory / AIRFLOW_LOG

    @property
    def bench_json(self) -> Path:
        return self.directory / BENCH_JSON

    def create(self) -> RunRecords:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def clear_attempt(self) -> None:
        """Forget the last attempt's outcome (summary, failure) before a new attempt."""
        for name in PER_ATTEMPT:
            (self.directory / name).unlink(missing_ok=True)

    def write_json(self, path: Path, payload: dict[str, Any]) -> Path:
        """Write one JSON record of this night (dates and Decimals as text)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        return path

    def read_json(self, path: Path) -> dict[str, Any] | None:
        """A JSON record of this night, or None when the night did not write it."""
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None


def records(settings: Settings, as_of: date) -> RunRecords:
    """The records of the night as of `as_of` (the folder may not exist yet)."""
    return RunRecords(settings.runs_dir / as_of.isoformat())
