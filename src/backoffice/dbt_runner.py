"""dbt in process: the one way the package runs dbt outside Airflow's dbt tasks.

The nightly run in process (`pipeline.run_night`), the tests and the benchmark
all call `run_dbt`. Each data directory keeps its own dbt target folder, so
dbt's partial parsing carries over from one night to the next, and two data
directories never share (or race on) a manifest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

WAREHOUSE_ENV = "BACKOFFICE_WAREHOUSE_PATH"


class DbtFailedError(BackofficeError):
    """A dbt command failed; the message names the failing nodes."""


@dataclass(frozen=True)
class DbtResult:
    command: str
    invocation_id: str | None
    results: list[dict[str, Any]]


def target_dir(settings: Settings) -> Path:
    return settings.data_dir / "dbt" / "target"


@contextmanager
def _warehouse_env(warehouse: Path) -> Iterator[None]:
    before = os.environ.get(WAREHOUSE_ENV)
    os.environ[WAREHOUSE_ENV] = str(warehouse)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(WAREHOUSE_ENV, None)
        else:
            os.environ[WAREHOUSE_ENV] = before


def run_dbt(
    settings: Settings,
    command: str,
    *args: str,
    as_of: date | None = None,
    warehouse: Path | None = None,
) -> DbtResult:
    """`dbt <command> <args>` on the build warehouse (or `warehouse`), as of a date."""
    from dbt.cli.main import dbtRunner  # dbt is slow to import: only where it runs

    project = str(settings.dbt_project_dir)
    target = target_dir(settings)
    argv: list[str] = [
        command,
        *args,
        "--project-dir", project,
        "--profiles-dir", project,
        "--target-path", str(target),
        "--log-path", str(target.parent / "logs"),
        "--quiet",
    ]  # fmt: skip
    if as_of is not None:
        argv += ["--vars", f'{{"as_of": "{as_of.isoformat()}"}}']
    with _warehouse_env(warehouse or settings.build_warehouse):
        outcome = dbtRunner().invoke(argv)
    results = [
        {
            "node": r.node.unique_id,
            "status": str(r.status),
            "message": r.message,
            "seconds": r.execution_time,
        }
        for r in getattr(outcome.result, "results", None) or []
    ]
    if not outcome.success:
        failed = [f"{r['node']}: {r['message']}" for r in results if r["status"] in _FAILED]
        detail = "; ".join(failed) or str(outcome.exception)
        raise DbtFailedError(f"dbt {command} failed: {detail}")
    metadata = getattr(outcome.result, "metadata", None)
    invocation = getattr(metadata, "invocation_id", None)
    return DbtResult(command=command, invocation_id=invocation, results=results)


_FAILED = {"error", "fail", "runtime error"}
