"""dbt in process: the one way the package runs dbt outside Airflow's dbt tasks.

The nightly run in process (`pipeline.run_night`), the DAG's dbt tasks, the
tests and the benchmark all call `run_dbt`. Each data directory keeps its own
dbt target folder, so dbt's partial parsing carries over from one night to the
next, and two data directories never share (or race on) a manifest.

The as-of date goes to dbt as the environment variable BACKOFFICE_AS_OF (read by
the `as_of_value` macro while SQL runs), not as `--vars`: dbt hashes cli vars
into its partial-parse state, so a new date every night meant a full re-parse.

A data directory's first night has no parse to start from: dbt parses the whole project,
about 3 s of CPU (docs/airflow-dbt.md). `backoffice run` then starts that parse in a process
of its own (`start_first_parse`) while Airflow starts and the feeds load, on the machine's
other core; every `run_dbt` first waits for a parse in progress (a lock beside the target
folder), so the night's first dbt layer finds the parse made instead of making it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
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
    wait_for_parse(settings)
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


# --- a first night's parse, beside the night ---------------------------------------------

PARSING = "parsing"  # what the parse's process says once it holds the lock
PARSE_WAIT = 600  # seconds a dbt layer waits for the background parse (it takes a few)


def parse_lock(settings: Settings) -> Path:
    """Held by a background parse while it runs (beside the target folder, not in it)."""
    return target_dir(settings).parent / "parse.lock"


def wait_for_parse(settings: Settings) -> None:
    """Return once no parse of this data directory's project is in progress (at once if none).

    The background parse itself passes (the lock is one object per path, and reentrant).
    A parse that still holds the lock after PARSE_WAIT seconds is hung: the layer goes on
    and dbt parses for itself, as it would without the background parse.
    """
    if not parse_lock(settings).exists():  # made by a first night; free (at once) ever after
        return
    from filelock import Timeout

    try:
        with _file_lock(settings).acquire(timeout=PARSE_WAIT):
            pass
    except Timeout:
        log.warning("dbt's background parse still runs after %s s: not waiting for it", PARSE_WAIT)


def _file_lock(settings: Settings) -> Any:
    from filelock import FileLock

    return FileLock(str(parse_lock(settings)), is_singleton=True)


def start_first_parse(settings: Settings, env: dict[str, str]) -> subprocess.Popen | None:
    """On a data directory dbt never parsed, dbt's full parse in a process of its own.

    Returns once that process holds the parse lock (so no dbt layer can start before it),
    or None when there is a parse to start from (`partial_parse.msgpack`): then the night's
    first layer only checks it, as every night does. `env` is the night's environment (the
    profile's warehouse path and settings are part of what dbt's parse is valid for).

    Its own process imports dbt again: about 2.5 s more CPU than the parse inside the night
    (docs/airflow-dbt.md), which pays in wall time only with a core to spare; on one core it
    is not started.
    """
    if (os.cpu_count() or 1) < 2 or (target_dir(settings) / "partial_parse.msgpack").exists():
        return None
    process = subprocess.Popen(
        [sys.executable, "-m", "backoffice.dbt_runner", PARSING],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != PARSING:  # it failed to start: the night parses
        process.wait()
        return None
    return process


def _parse_holding_the_lock() -> int:
    """The background parse: the lock, then `dbt parse` (no manifest.json: the layers write it).

    A project that does not parse fails here silently: the night's first layer parses it
    again and fails naming the error, as without this process.
    """
    settings = Settings.from_env()
    parse_lock(settings).parent.mkdir(parents=True, exist_ok=True)
    with _file_lock(settings):
        print(PARSING, flush=True)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nobody reads on
        try:
            run_dbt(settings, "parse", "--no-write-json")
        except DbtFailedError:
            return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == [PARSING]:
        sys.exit(_parse_holding_the_lock())
