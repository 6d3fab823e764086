"""dbt in process: the one way the package runs dbt outside Airflow's dbt tasks.

The nightly run in process (`pipeline.run_night`), the DAG's dbt tasks, the
tests and the benchmark all call `run_dbt`. Each data directory keeps its own
dbt target folder, so dbt's partial parsing carries over from one night to the
next, and two data directories never share (or race on) a manifest.

The as-of date goes to dbt as the environment variable BACKOFFICE_AS_OF (read by
the `as_of_value` macro while SQL runs), not as `--vars`: dbt hashes cli vars
into its partial-parse state, so a new date every night meant a full re-parse.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

WAREHOUSE_ENV = "BACKOFFICE_WAREHOUSE_PATH"
AS_OF_ENV = "BACKOFFICE_AS_OF"

log = logging.getLogger(__name__)


class DbtFailedError(BackofficeError):
    """A dbt command failed; the message names the failing nodes."""


@dataclass(frozen=True)
class DbtResult:
    command: str
    invocation_id: str | None
    results: list[dict[str, Any]]
    listed: list[str]  # what `dbt ls` printed, one entry per node


def target_dir(settings: Settings) -> Path:
    return settings.data_dir / "dbt" / "target"


@contextmanager
def _environment(values: dict[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) variables for one dbt invocation, then put them back."""
    before = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(
    settings: Settings,
    command: str,
    *args: str,
    as_of: date | None = None,
    warehouse: Path | None = None,
    artifacts: bool = True,
) -> DbtResult:
    """`dbt <command> <args>` on the build warehouse (or `warehouse`), as of a date.

    `artifacts=False` leaves `manifest.json` and `run_results.json` in the target folder as
    they are (`--no-write-json`): dbt writes the whole manifest twice an invocation, about a
    tenth of a layer's dbt time at 5,000 lines, and only the night's last layer needs it fresh
    (the audit's lineage and trace read it). The results of a night's invocation are archived
    all the same (`run_results_archive`), written from what dbt returned.
    """
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
        # dbt.log at info, not debug: every node's SQL and every adapter call written to the
        # file cost a sixth of dbt's CPU in a 5,000-line night (docs/airflow-dbt.md).
        "--log-level-file", "info",
        "--quiet",
    ]  # fmt: skip
    if command in _RUNS_NODES:
        # Four nodes at a time: while DuckDB runs one node's SQL (without the GIL) dbt
        # prepares the next; a 5,000-line night's dbt took a fifth less wall and CPU time.
        argv += ["--threads", "4"]
        if not artifacts:
            argv.append("--no-write-json")
    if command == "build":
        # dbt's faster way of making each node wait for its parents' tests; dbt checks it
        # against the old one (the same graph once reduced), which costs seconds a night.
        argv.append("--use-fast-test-edges")
    env = {
        WAREHOUSE_ENV: str(warehouse or settings.build_warehouse),
        AS_OF_ENV: as_of.isoformat() if as_of is not None else None,
    }
    started = time.time()
    with _environment(env):
        outcome = dbtRunner().invoke(argv)
    results = [
        {
            "node": r.node.unique_id,
            "status": str(r.status),
            "message": r.message,
            "seconds": r.execution_time,
            "relation": _relation(r.node),
        }
        for r in getattr(outcome.result, "results", None) or []
    ]
    invocation = _invocation_id()
    if as_of is not None:
        _archive_run_results(target, as_of, started, outcome.result)
    for r in results:  # the task's log names every node, a failed one with dbt's message
        level = logging.ERROR if r["status"] in _FAILED else logging.INFO
        log.log(level, "dbt %s %s in %.1f s%s", r["status"], r["node"], r["seconds"] or 0,
                f": {r['message']}" if level == logging.ERROR else "")  # fmt: skip
    if not outcome.success:
        failed = [f"{r['node']}: {r['message']}" for r in results if r["status"] in _FAILED]
        detail = "; ".join(failed) or str(outcome.exception)
        raise DbtFailedError(f"dbt {command} failed: {detail}")
    listed = [str(x) for x in outcome.result] if isinstance(outcome.result, list) else []
    return DbtResult(command=command, invocation_id=invocation, results=results, listed=listed)


_FAILED = {"error", "fail", "runtime error"}
_RUNS_NODES = {"build", "run", "seed", "test", "snapshot"}


def run_results_archive(settings: Settings, as_of: date) -> Path:
    """Where each dbt invocation of a night keeps its run_results.json (the audit merges them)."""
    return target_dir(settings) / "run_results" / as_of.isoformat()


def _archive_run_results(target: Path, as_of: date, started: float, result: Any) -> None:
    """Keep this invocation's run results: the next layer's invocation rewrites run_results.json.

    Written from what dbt returned when it ran nodes (whether or not it wrote the file
    itself), else copied from the file it wrote; named by time then invocation id, so that
    sorted by name they are in the order run.
    """
    from dbt.artifacts.schemas.run import RunExecutionResult

    archive = target / "run_results" / as_of.isoformat()
    name = f"{time.time_ns()}-{_invocation_id() or 'dbt'}.json"
    if isinstance(result, RunExecutionResult):
        archive.mkdir(parents=True, exist_ok=True)
        result.write(str(archive / name))
        return
    produced = target / "run_results.json"
    if not produced.is_file() or produced.stat().st_mtime < started:
        return  # this command wrote no results (ls, parse) or failed before writing them
    archive.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(produced, archive / name)


def _relation(node: Any) -> str | None:
    """`schema.name` of the table or view a seed, model or snapshot wrote; None for a test."""
    if getattr(node, "resource_type", None) not in _WRITES_RELATION:
        return None
    return f"{node.schema}.{node.alias}"


_WRITES_RELATION = {"seed", "model", "snapshot"}


def _invocation_id() -> str | None:
    """The id of the dbt invocation that just ran (dbt keeps it process-wide until the next)."""
    from dbt_common.invocation import get_invocation_id

    return get_invocation_id()
