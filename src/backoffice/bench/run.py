"""`backoffice bench`: a night at a given size beside the parse floor and the naive peer.

In one run and one process tree: the product's generator writes a sample (its
pure-Python oracle timed on the side: the naive peer); the parse floor reads
the same files (bench/floor.py); the night runs in process, one child process
per phase (ingest, dbt, data checks, publication, report, after), each
measured by the kernel (wall, CPU, peak memory); and, unless told not to, the
same night runs again through Airflow (`airflow dags test`, as `backoffice
run` does) on its own data directory, its phases read from Airflow's task
records. With a later as-of date (the day after, by default) it also runs the
incremental night (the later date on the same data directory) and a full
rebuild of the later date on a fresh one, and compares their exceptions; it
times the data checks beside the same checks as one SQL query
(`quality.measure_checks`, when the package has it); and it counts the bytes
each phase writes and the new files a publication leaves. One table of
figures and ratios is printed and appended to docs/benchmarks.md with the
machine it ran on. A benchmark states figures beside a baseline; it asserts
nothing about seconds.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from backoffice.bench.child import PHASES
from backoffice.errors import BackofficeError
from backoffice.run_records import BENCH_JSON
from backoffice.settings import Settings

PHASE_NAMES = {
    "ingest": "ingest (landing zone to raw, cases imported)",
    "dbt": "dbt build",
    "checks": "data checks (GX)",
    "publication": "audit record and publication",
    "report": "summary and report",
    "after": "case sync and digests",
}
_AIRFLOW_TASK_PHASES = {
    "begin_run": "ingest",
    "ingest": "ingest",
    "import_cases": "ingest",
    "check": "checks",
    "record_night": "publication",
    "publish": "publication",
    "summarize": "report",
    "sync_cases": "after",
    "send_digests": "after",
}


# What a publication phase left under the publications' folder, beside the other folders.
PUBLICATIONS = "publications"


class BenchFailedError(BackofficeError):
    """A measured piece of the benchmark failed; the message names its log."""


@dataclass(frozen=True)
class Measure:
    """What the kernel says one child process (and the processes it waited for) cost."""

    wall: float
    cpu: float
    peak_mb: float
    detail: dict[str, Any] = field(default_factory=dict)
    written: int = 0  # bytes the kernel counted as written to storage (ru_oublock x 512)


@dataclass
class BenchResult:
    lines: int
    as_of: date
    started: datetime
    generate: Measure
    floor: Measure
    phases: dict[str, Measure]
    airflow: Measure | None = None
    airflow_phases: dict[str, float] = field(default_factory=dict)
    airflow_error: str = ""
    disk: dict[str, int] = field(default_factory=dict)
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)
    # The later night: incremental on the same data directory, and a full rebuild.
    later: date | None = None
    incremental: dict[str, Measure] = field(default_factory=dict)
    rebuild: dict[str, Measure] = field(default_factory=dict)
    compared: dict[str, int] = field(default_factory=dict)
    scope: dict[str, Any] = field(default_factory=dict)  # what the incremental night recomputed
    # New or changed files (bytes) a publication phase left in the data directory, by folder.
    published: dict[str, dict[str, int]] = field(default_factory=dict)
    checks_sql: Measure | None = None
    checks_sql_error: str = ""
    complete: bool = False  # False in the bench.json saved as the run goes
    publication_mode: str = ""  # Settings.publication_mode: a full copy or shared parts

    @property
    def night(self) -> Measure:
        """The in-process night: every phase, one after the other."""
        return total(self.phases)

    @property
    def naive_wall(self) -> float:
        return float(self.generate.detail["oracle_wall"])

    @property
    def naive_cpu(self) -> float:
        return float(self.generate.detail.get("oracle_cpu", 0.0))

    @property
    def reader_peer(self) -> Measure:
        """The naive peer a reader would write: read every file (the floor), apply the rules.

        A sum of two measured pieces, not one program: such a script pays at least the
        floor's reading and the oracle's rules; it would pay more to build its records.
        """
        return Measure(
            wall=self.floor.wall + self.naive_wall,
            cpu=self.floor.cpu + self.naive_cpu,
            peak_mb=0.0,
        )

    def to_dict(self) -> dict[str, Any]:
        def m(x: Measure | None) -> dict[str, Any] | None:
            return None if x is None else x.__dict__

        return {
            "lines": self.lines,
            "as_of": self.as_of.isoformat(),
            "started": self.started.isoformat(),
            "generate": m(self.generate),
            "floor": m(self.floor),
            "phases": {k: m(v) for k, v in self.phases.items()},
            "night": m(self.night),
            "airflow": m(self.airflow),
            "airflow_phases": self.airflow_phases,
            "airflow_error": self.airflow_error,
            "disk": self.disk,
            "load_average": self.load_average,
            "later": self.later.isoformat() if self.later else None,
            "incremental": {k: m(v) for k, v in self.incremental.items()},
            "rebuild": {k: m(v) for k, v in self.rebuild.items()},
            "compared": self.compared,
            "scope": self.scope,
            "published": self.published,
            "checks_sql": m(self.checks_sql),
            "checks_sql_error": self.checks_sql_error,
            "complete": self.complete,
            "publication_mode": self.publication_mode,
        }


def total(phases: dict[str, Measure]) -> Measure:
    """A night's phases one after the other: summed times, the highest peak, summed writes."""
    return Measure(
        wall=sum(m.wall for m in phases.values()),
        cpu=sum(m.cpu for m in phases.values()),
        peak_mb=max((m.peak_mb for m in phases.values()), default=0.0),
        written=sum(m.written for m in phases.values()),
    )


def run_bench(
    settings: Settings,
    *,
    lines: int,
    as_of: date,
    seed: int = 7,
    airflow: bool = True,
    later_days: int = 1,
    workdir: Path | None = None,
    phases: tuple[str, ...] = PHASES,
) -> BenchResult:
    """Generate a sample of `lines` order lines and measure every piece on it.

    `later_days` > 0 adds the later night (as of `as_of` + that many days): incremental
    on the first night's data directory, and a full rebuild on a fresh one. `phases` may
    stop each night early (a quick check of the bench itself).
    """
    work = workdir or settings.data_dir / "bench" / f"{lines}-lines"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    landing = work / "landing"
    started = datetime.now(UTC)
    load = os.getloadavg()
    later = as_of + timedelta(days=later_days) if later_days > 0 else None
    night_settings = _settings(settings, landing, work / "night")
    generated = _measure(
        "generate",
        {
            "landing": str(landing),
            "ledger": str(work / "expected_exceptions.csv"),
            "lines": lines,
            "seed": seed,
            "as_of": [d.isoformat() for d in (as_of, later) if d is not None],
        },
        night_settings,
        work,
    )
    floor = _measure("floor", {"as_of": as_of.isoformat()}, night_settings, work)
    result = BenchResult(lines, as_of, started, generated, floor, {}, load_average=load)
    result.publication_mode = getattr(night_settings, "publication_mode", "copy")

    def save() -> None:
        """bench.json as the run goes: a run stopped half way still leaves its figures."""
        (work / BENCH_JSON).write_text(json.dumps(result.to_dict(), indent=2, default=str) + "\n")

    save()
    _night(night_settings, as_of, phases, work, "", result.phases, result.published, "first", save)
    result.disk = _disk(night_settings)
    if "dbt" not in phases:
        result.checks_sql_error = "this run stopped before the dbt build"
    else:
        try:
            result.checks_sql = _checks_sql(night_settings, work)
        except Exception as failure:  # a missing or failing measure leaves its row out
            result.checks_sql_error = str(failure).splitlines()[0][:300]
    if later is not None:
        result.later = later
        _night(
            night_settings,
            later,
            phases,
            work,
            "incremental-",
            result.incremental,
            result.published,
            "incremental",
            save,
        )
        if "dbt" in phases:
            result.scope = incremental_scope(night_settings.build_warehouse)
        rebuild = _settings(settings, landing, work / "rebuild")
        _night(rebuild, later, phases, work, "rebuild-", result.rebuild, {}, "", save)
        if "publication" in phases:
            result.compared = compare_exceptions(night_settings, rebuild)
    if airflow:
        try:
            result.airflow, result.airflow_phases = _airflow_night(settings, landing, work, as_of)
        except Exception as failure:  # the in-process figures still stand: report both
            result.airflow_error = str(failure).splitlines()[0][:300]
    result.complete = True
    save()
    return result


def _night(
    settings: Settings,
    as_of: date,
    phases: tuple[str, ...],
    work: Path,
    label: str,
    measured: dict[str, Measure],
    published: dict[str, dict[str, int]],
    night: str,
    save: Callable[[], None] = lambda: None,
) -> None:
    """One in-process night, a child per phase, each measure kept (and saved) as it comes.

    What its publication phase left on disk goes to `published[night]`.
    """
    for phase in phases:
        before = _files(settings.data_dir) if phase == "publication" else None
        measured[phase] = _measure(
            "phase", {"phase": phase, "as_of": as_of.isoformat()}, settings, work, label
        )
        if before is not None:
            left = new_bytes(before, _files(settings.data_dir), settings.data_dir)
            # The build is rewritten in place, a few pages a night: the kernel's count of
            # the phase's writes says what that costs, its file size would not.
            left.pop(settings.build_warehouse.relative_to(settings.data_dir).parts[0], None)
            folder = settings.published_dir.relative_to(settings.data_dir).parts[0]
            published[night] = {PUBLICATIONS: left.pop(folder, 0), **left}
        save()


def _checks_sql(settings: Settings, work: Path) -> Measure:
    """The data checks beside the same checks as one SQL query, if the package measures it."""
    from backoffice import quality

    if not hasattr(quality, "measure_checks"):
        raise BenchFailedError("backoffice.quality has no measure_checks yet")
    return _measure("checks-sql", {}, settings, work)


def _files(root: Path) -> dict[tuple[int, int], tuple[str, int, int]]:
    """Every file under `root` by inode: (path, size, modification time)."""
    found = {}
    for path in root.rglob("*"):
        try:
            st = path.stat()
        except OSError:  # removed while we walked
            continue
        if path.is_file():
            found[(st.st_dev, st.st_ino)] = (str(path), st.st_size, st.st_mtime_ns)
    return found


def new_bytes(before: dict, after: dict, root: Path) -> dict[str, int]:
    """Bytes of files new or changed between two walks, by top folder under `root`.

    By inode, so a file shared between publications through a hard link counts once,
    when it was written; a renamed file counts only if its content changed.
    """
    grown: dict[str, int] = {}
    for inode, (path, size, mtime) in after.items():
        old = before.get(inode)
        if old is not None and old[1:] == (size, mtime):
            continue
        top = Path(path).relative_to(root).parts[0]
        grown[top] = grown.get(top, 0) + size
    return dict(sorted(grown.items()))


# Compared between an incremental night and a full rebuild: what does not depend on the
# nights before (a fresh rebuild has none): `resolved`, detected_on and the age of billing
# controls are left out.
_COMPARED = (
    "exception_id, exception_type, status, provider, customer_vat, order_id, order_line_id, "
    "invoice_number, invoice_line, period_month, amount_eur, credited_eur"
)


def exception_rows(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    """The open and credited exceptions of a warehouse, as compared rows."""
    query = f"select {_COMPARED} from marts.exceptions where status <> 'resolved'"
    return set(con.execute(query).fetchall())


def compare_rows(first: set[tuple], second: set[tuple]) -> dict[str, int]:
    return {
        "incremental": len(first),
        "rebuild": len(second),
        "only_incremental": len(first - second),
        "only_rebuild": len(second - first),
    }


def incremental_scope(warehouse: Path) -> dict[str, Any]:
    """What the last dbt build recomputed, as its incremental models record it.

    Whether the night rebuilt everything (and why), and how many order lines it
    recomputed otherwise; empty for a warehouse without incremental models.
    """
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            reason, full = con.execute(
                "select full_rebuild_reason, is_full_rebuild "
                "from intermediate.int_incremental__night"
            ).fetchone()
            lines = con.execute(
                "select count(*) from intermediate.int_incremental__order_lines"
            ).fetchone()[0]
    except duckdb.Error:
        return {}
    return {"full_rebuild": bool(full), "reason": reason, "order_lines": lines}


def compare_exceptions(first: Settings, second: Settings) -> dict[str, int]:
    """The current exceptions of two data directories, compared to the cent."""
    from backoffice.publish import connect_published

    rows = []
    for settings in (first, second):
        with connect_published(settings) as con:
            rows.append(exception_rows(con))
    return compare_rows(*rows)


def _settings(settings: Settings, landing: Path, data: Path) -> Settings:
    env = dict(settings.env)
    env.update(
        {
            "BACKOFFICE_PROJECT_DIR": str(settings.project_dir),
            "BACKOFFICE_LANDING_DIR": str(landing),
            "BACKOFFICE_DATA_DIR": str(data),
        }
    )
    if settings.expectations_override:
        env["BACKOFFICE_EXPECTATIONS_DIR"] = str(settings.expectations_override)
    return Settings.from_env(env)


def _child_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKOFFICE_")}
    env.update(settings.env)
    env["BACKOFFICE_WAREHOUSE_PATH"] = str(settings.build_warehouse)
    return env


def _measure(
    piece: str, params: dict[str, Any], settings: Settings, work: Path, label: str = ""
) -> Measure:
    """Run one piece in a child process; the kernel's rusage of it (and its children)."""
    name = label + (piece if piece != "phase" else f"phase-{params['phase']}")
    log_path = work / "logs" / f"{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=work, suffix=".json", delete=False) as out:
        result_path = Path(out.name)
    command = [sys.executable, "-m", "backoffice.bench.child", piece, json.dumps(params)]
    with open(log_path, "w", encoding="utf-8") as log:
        start = time.perf_counter()
        child = subprocess.Popen(
            [*command, str(result_path)],
            env=_child_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
        raise BenchFailedError(
            f"{name} failed (exit {child.returncode}); its log is {log_path}: " + " / ".join(tail)
        )
    detail = json.loads(result_path.read_text(encoding="utf-8") or "{}")
    result_path.unlink()
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(wall, cpu, usage.ru_maxrss / 1024, detail, usage.ru_oublock * 512)


def _airflow_night(
    settings: Settings, landing: Path, work: Path, as_of: date
) -> tuple[Measure, dict[str, float]]:
    """The same night through Airflow on its own data directory; its phases' wall times.

    Nothing is prepared beforehand: the night makes Airflow's metadata database and pool in
    its own process, as a new user's first `backoffice run` does, and that is measured.
    """
    from backoffice.airflow_env import airflow_environment

    night = _settings(settings, landing, work / "airflow-night")
    env = airflow_environment(night)
    measured = _measure("airflow", {"as_of": as_of.isoformat()}, night, work)
    return measured, _airflow_phase_walls(Path(env["AIRFLOW_HOME"]), env)


def _airflow_phase_walls(home: Path, env: dict[str, str]) -> dict[str, float]:
    """Each phase's wall time (first task start to last task end) in the latest DAG run."""
    conn = env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{home / 'airflow.db'}")
    if not conn.startswith("sqlite:///"):
        return {}
    with sqlite3.connect(conn.removeprefix("sqlite:///")) as db:
        run = db.execute(
            "select run_id from dag_run where dag_id = 'backoffice_nightly' "
            "order by id desc limit 1"
        ).fetchone()
        if run is None:
            return {}
        rows = db.execute(
            "select task_id, julianday(start_date), julianday(end_date) from task_instance "
            "where dag_id = 'backoffice_nightly' and run_id = ? and start_date is not null",
            [run[0]],
        ).fetchall()
    spans: dict[str, list[float]] = {}
    for task_id, start, end in rows:
        phase = "dbt" if task_id.startswith("dbt") else _AIRFLOW_TASK_PHASES.get(task_id)
        if phase is None or end is None:
            continue
        span = spans.setdefault(phase, [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    return {phase: (end - start) * 86400 for phase, (start, end) in spans.items()}


def _disk(settings: Settings) -> dict[str, int]:
    """Bytes on disk after the night: the warehouse, one publication, all kept ones."""
    build = settings.build_warehouse
    published = sorted(settings.published_dir.glob("warehouse_*.duckdb"))
    return {
        "warehouse": build.stat().st_size if build.exists() else 0,
        "publication": published[-1].stat().st_size if published else 0,
        "landing": _size(settings.landing_dir),
        "published_dir": _size(settings.published_dir),
        "data_dir": _size(settings.data_dir),
    }


def _size(root: Path) -> int:
    """Bytes of the files under `root`, a file linked twice counted once."""
    seen: dict[tuple[int, int], int] = {}
    for path in root.rglob("*"):
        if path.is_file():
            st = path.stat()
            seen[(st.st_dev, st.st_ino)] = st.st_size
    return sum(seen.values())


# --- the table ----------------------------------------------------------------------------


def from_dict(data: dict[str, Any]) -> BenchResult:
    """A result read back from its bench.json (to render it again)."""

    def m(x: dict[str, Any] | None) -> Measure | None:
        return None if x is None else Measure(**x)

    later = data.get("later")
    return BenchResult(
        lines=data["lines"],
        as_of=date.fromisoformat(data["as_of"]),
        started=datetime.fromisoformat(data["started"]),
        generate=m(data["generate"]),
        floor=m(data["floor"]),
        phases={k: m(v) for k, v in data["phases"].items()},
        airflow=m(data["airflow"]),
        airflow_phases=data.get("airflow_phases", {}),
        airflow_error=data.get("airflow_error", ""),
        disk=data.get("disk", {}),
        load_average=tuple(data.get("load_average", (0.0, 0.0, 0.0))),
        later=date.fromisoformat(later) if later else None,
        incremental={k: m(v) for k, v in data.get("incremental", {}).items()},
        rebuild={k: m(v) for k, v in data.get("rebuild", {}).items()},
        compared=data.get("compared", {}),
        scope=data.get("scope", {}),
        published=data.get("published", {}),
        checks_sql=m(data.get("checks_sql")),
        checks_sql_error=data.get("checks_sql_error", ""),
        complete=data.get("complete", True),  # runs before this field saved only at the end
        publication_mode=data.get("publication_mode", ""),
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} x {cpu}, {memory:.0f} GiB, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}"
    )


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f}"


def render_markdown(result: BenchResult) -> str:
    floor, night, naive = result.floor, result.night, result.naive_wall
    counts = result.floor.detail
    later = f" (later night {result.later.isoformat()})" if result.later else ""
    out = [
        f"### {result.lines:,} order lines, as of {result.as_of.isoformat()}{later}",
        "",
        f"Measured {result.started:%Y-%m-%d %H:%M} UTC on {machine()}; load average at the "
        f"start {result.load_average[0]:.1f} (the machine is shared: wall times stretch "
        "with the load, CPU times much less).",
        f"Sample: {result.generate.detail.get('files', 0):,} files, "
        f"{result.disk.get('landing', 0) / 2**20:,.1f} MiB "
        f"({counts.get('invoice_files', 0):,} FatturaPA invoices, "
        f"{counts.get('signed_invoices', 0):,} signed; "
        f"{counts.get('delimited_files', 0):,} CSV, {counts.get('ndjson_files', 0):,} NDJSON), "
        f"generated in {result.generate.wall:.1f} s.",
        "",
        "| what | wall s | CPU s | peak MiB | written MiB | wall / floor | CPU / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(label: str, m: Measure | None, wall: float | None = None, cpu: float | None = None):
        w = m.wall if m is not None else wall
        c = m.cpu if m is not None else cpu
        peak = f"{m.peak_mb:,.0f}" if m is not None and m.peak_mb else "-"
        written = _mib(m.written) if m is not None and m.written else "-"
        c_text = "-" if c is None else f"{c:.1f}"
        c_ratio = "-" if c is None else f"{c / floor.cpu:.2f}"
        out.append(
            f"| {label} | {w:.1f} | {c_text} | {peak} | {written} | {w / floor.wall:.2f} "
            f"| {c_ratio} |"
        )

    row("parse floor: DuckDB reads every CSV/NDJSON, lxml every invoice, no rules", floor)
    row(
        "naive peer, rules only: the generator's oracle on records in memory (reads no file)",
        None,
        naive,
        result.naive_cpu,
    )
    peer = result.reader_peer
    row("naive peer as a reader would write it: parse floor + oracle (sum of the two)", peer)
    for phase, m in result.phases.items():
        row(f"night in process: {PHASE_NAMES[phase]}", m)
    row("**night in process, all phases**", night)
    if result.checks_sql is not None:
        d = result.checks_sql.detail
        if "sql_cpu_s" in d:  # the query alone, as measure_checks timed it
            row("data checks as one SQL query", None, d["sql_wall_s"], d["sql_cpu_s"])
        else:
            row(
                "data checks as one SQL query (`quality.measure_checks`, its process)",
                result.checks_sql,
            )
    if result.airflow is not None:
        for phase in PHASES:
            if phase in result.airflow_phases:
                row(
                    f"night through Airflow: {PHASE_NAMES[phase]}",
                    None,
                    result.airflow_phases[phase],
                )
        row("**night through Airflow (`airflow dags test`), whole**", result.airflow)
    if result.airflow_error:
        out.append(f"| night through Airflow | failed: {result.airflow_error} | | | | | |")
    out.append("")
    ratios = [
        f"in-process night / parse floor {night.wall / floor.wall:.1f} (CPU "
        f"{night.cpu / floor.cpu:.1f})",
        f"naive peer (rules only) / in-process night {naive / night.wall:.2f} (CPU "
        f"{result.naive_cpu / night.cpu:.2f})",
        f"naive peer as a reader would write it / in-process night {peer.wall / night.wall:.2f} "
        f"(CPU {peer.cpu / night.cpu:.2f}; the issue's target is at least 3)",
    ]
    if result.airflow is not None:
        ratios += [
            f"Airflow night / parse floor {result.airflow.wall / floor.wall:.1f} (CPU "
            f"{result.airflow.cpu / floor.cpu:.1f})",
            f"naive peer as a reader would write it / Airflow night "
            f"{peer.wall / result.airflow.wall:.2f} (CPU {peer.cpu / result.airflow.cpu:.2f})",
            f"Airflow's own cost (Airflow night - in-process night) "
            f"{result.airflow.wall - night.wall:.1f} s",
        ]
    out.append("Ratios: " + "; ".join(ratios) + ".")
    out += _checks_sql_lines(result)
    out += _later_lines(result)
    out.append(_disk_line(result))
    return "\n".join(out) + "\n"


def _figures(detail: Any, prefix: str = "") -> list[str]:
    """The numbers a measure returned, flattened as `key.sub value`, in its order."""
    if isinstance(detail, dict):
        return [f for k, v in detail.items() for f in _figures(v, f"{prefix}{k}.")]
    if isinstance(detail, int | float) and not isinstance(detail, bool):
        return [f"{prefix.rstrip('.')} {detail:.3g}"]
    return []


def _checks_sql_lines(result: BenchResult) -> list[str]:
    """GX beside the same checks as one SQL query, as `quality.measure_checks` timed them."""
    m = result.checks_sql
    if m is None:
        if result.checks_sql_error:
            return [f"Data checks against one SQL query: not measured ({result.checks_sql_error})."]
        return []
    d = m.detail
    if not {"gx_cpu_s", "sql_cpu_s", "gx_wall_s", "sql_wall_s"} <= d.keys():
        figures = ", ".join(_figures(d)) or "no figures"
        return [f"Data checks against one SQL query (`quality.measure_checks`): {figures}."]
    night = result.phases.get("checks")
    versus_night = (
        f"; the night's whole data checks phase (its own process, imports included) / one SQL "
        f"query: CPU {night.cpu / d['sql_cpu_s']:.1f}"
        if night is not None and d["sql_cpu_s"]
        else ""
    )
    return [
        f"Data checks against the same checks as one SQL query (`quality.measure_checks`, one "
        f"process, on a copy of the build, {d.get('expectations', '?')} expectations, timed as "
        f"the next night ({d.get('gx_context', 'fresh')} GX context)): GX "
        f"{d['gx_cpu_s']:.2f} CPU s ({d['gx_wall_s']:.2f} wall), one SQL query "
        f"{d['sql_cpu_s']:.2f} CPU s ({d['sql_wall_s']:.2f} wall): GX / SQL "
        f"{_ratio(d['gx_cpu_s'], d['sql_cpu_s'])} in CPU, "
        f"{_ratio(d['gx_wall_s'], d['sql_wall_s'])} in wall time (the issue's target is at "
        "most 1.5); importing GX apart, "
        f"{d.get('gx_import_cpu_s', 0):.2f} CPU s; the same verdicts: "
        f"{'yes' if d.get('same_verdicts') else 'NO'}{versus_night}."
    ]


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}"


def _later_lines(result: BenchResult) -> list[str]:
    """The incremental night beside a full rebuild of the same later date."""
    if result.later is None or not result.incremental:
        return []
    by_date = result.generate.detail.get("files_by_date", {})
    new_files = by_date.get(result.later.isoformat(), 0)
    out = [
        "",
        f"Later night as of {result.later.isoformat()} ({new_files:,} files delivered that "
        "day): incremental, on the first night's data directory, against a full rebuild of "
        "the same date on a fresh data directory (every file ingested, every model built).",
        "",
        "| phase | incremental wall s | CPU s | written MiB | full rebuild wall s | CPU s "
        "| written MiB | incremental / full, CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    pairs = [
        (PHASE_NAMES[p], result.incremental[p], result.rebuild.get(p)) for p in result.incremental
    ]
    pairs.append(("**all phases**", total(result.incremental), total(result.rebuild)))
    for label, inc, full in pairs:
        if full is None:
            continue
        ratio = f"{inc.cpu / full.cpu:.2f}" if full.cpu else "-"
        out.append(
            f"| {label} | {inc.wall:.1f} | {inc.cpu:.1f} | {_mib(inc.written)} | {full.wall:.1f} "
            f"| {full.cpu:.1f} | {_mib(full.written)} | {ratio} |"
        )
    out.append("")
    if result.scope:
        out.append(
            "What the incremental night's dbt build recomputed "
            "(`intermediate.int_incremental__night`): "
            + (
                f"**everything** ({result.scope['reason']})."
                if result.scope["full_rebuild"]
                else f"the {result.scope['order_lines']:,} order lines the day could change."
            )
        )
    c = result.compared
    if c:
        same = c["only_incremental"] == 0 and c["only_rebuild"] == 0
        out.append(
            f"Exceptions, open and credited, compared to the cent (identity, status, amounts): "
            f"incremental {c['incremental']:,}, full rebuild {c['rebuild']:,}; "
            + (
                "**the same**."
                if same
                else f"**DIFFERENT**: {c['only_incremental']:,} only in the incremental "
                f"night, {c['only_rebuild']:,} only in the rebuild."
            )
        )
    return out


def _disk_line(result: BenchResult) -> str:
    disk = result.disk
    mode = f" (publication mode `{result.publication_mode}`)" if result.publication_mode else ""
    text = (
        f"Disk after the first night{mode}: warehouse {_mib(disk.get('warehouse', 0))} MiB"
        + (
            f", kept publications {_mib(disk['published_dir'])} MiB, data directory "
            f"{_mib(disk['data_dir'])} MiB"
            if "data_dir" in disk
            else f"; a night writes one publication of {_mib(disk.get('publication', 0))} MiB"
        )
        + "."
    )
    for night, label in (("first", "the first night"), ("incremental", "the incremental night")):
        left = dict(result.published.get(night) or {})
        if night not in result.published:
            continue
        published = left.pop(PUBLICATIONS, 0)
        others = ", ".join(f"{top}/ {_mib(n)}" for top, n in left.items())
        text += (
            f" Publication of {label}: {_mib(published)} MiB of new files in the "
            "publications' folder"
            + (f" (the phase's other new records: {others} MiB)." if others else ".")
        )
    return text


def render_side_by_side(results: list[BenchResult]) -> str:
    """One table of the runs at every size, columns by size: CPU s first, wall s after.

    The "fixed overhead" is the smallest run's Airflow night (in process when it has none),
    as the issue's target reads it: 2 x the parse floor + that overhead.
    """
    runs = sorted(results, key=lambda r: r.lines)
    smallest = runs[0]
    overhead = (smallest.airflow or smallest.night).cpu
    head = (
        "| | "
        + " | ".join(f"{r.lines:,} lines" + ("" if r.complete else " (stopped)") for r in runs)
        + " |"
    )
    rows = [head, "| --- |" + " ---: |" * len(runs)]

    def cpu_wall(m: Measure | None) -> str:
        return "-" if m is None else f"{m.cpu:,.1f} ({m.wall:,.1f})"

    def line(label: str, cells: list[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    ratio = _ratio

    line(
        "measured (UTC), load average at the start",
        [f"{r.started:%Y-%m-%d %H:%M}, {r.load_average[0]:.1f}" for r in runs],
    )
    line("files landed", [f"{r.generate.detail.get('files', 0):,}" for r in runs])
    line("parse floor, CPU s (wall s)", [cpu_wall(r.floor) for r in runs])
    line(
        "naive peer, rules only (oracle on records in memory)",
        [f"{r.naive_cpu:,.1f} ({r.naive_wall:,.1f})" for r in runs],
    )
    line(
        "naive peer as a reader would write it (floor + oracle)",
        [cpu_wall(r.reader_peer) for r in runs],
    )
    for phase in PHASES:
        line(
            f"night in process: {PHASE_NAMES[phase]}", [cpu_wall(r.phases.get(phase)) for r in runs]
        )
    line("**night in process, all phases**", [cpu_wall(r.night) for r in runs])
    line("night through Airflow, whole", [cpu_wall(r.airflow) for r in runs])
    line("night in process / parse floor, CPU", [ratio(r.night.cpu, r.floor.cpu) for r in runs])
    line(
        "night through Airflow / parse floor, CPU",
        [ratio(r.airflow.cpu if r.airflow else None, r.floor.cpu) for r in runs],
    )
    line(
        "naive peer (floor + oracle) / night in process, CPU (target: at least 3)",
        [ratio(r.reader_peer.cpu, r.night.cpu) for r in runs],
    )
    line(
        "naive peer (floor + oracle) / night through Airflow, CPU",
        [ratio(r.reader_peer.cpu, r.airflow.cpu if r.airflow else None) for r in runs],
    )
    line(
        f"budget 2 x floor + fixed overhead ({overhead:.1f} CPU s), CPU s",
        [f"{2 * r.floor.cpu + overhead:,.1f}" for r in runs],
    )
    line(
        "peak MiB: in process / through Airflow",
        [
            f"{r.night.peak_mb:,.0f} / " + (f"{r.airflow.peak_mb:,.0f}" if r.airflow else "-")
            for r in runs
        ],
    )
    line(
        "incremental night / full rebuild, CPU: all phases (dbt)",
        [
            f"{ratio(total(r.incremental).cpu, total(r.rebuild).cpu)} "
            f"({ratio(_cpu(r.incremental, 'dbt'), _cpu(r.rebuild, 'dbt'))})"
            if r.incremental
            else "-"
            for r in runs
        ],
    )
    line(
        "data checks: GX / one SQL query, CPU (target: at most 1.5)",
        [
            ratio(r.checks_sql.detail.get("gx_cpu_s"), r.checks_sql.detail.get("sql_cpu_s"))
            if r.checks_sql
            else "-"
            for r in runs
        ],
    )
    line("warehouse MiB", [_mib(r.disk.get("warehouse", 0)) for r in runs])
    line(
        "publication, new files in the publications' folder, MiB: first / incremental night",
        [
            " / ".join(
                _mib(r.published[n].get(PUBLICATIONS, 0)) if n in r.published else "-"
                for n in ("first", "incremental")
            )
            for r in runs
        ],
    )
    return "\n".join(rows) + "\n"


def _cpu(phases: dict[str, Measure], phase: str) -> float | None:
    m = phases.get(phase)
    return None if m is None else m.cpu


def append_to(path: Path, markdown: str) -> None:
    """Append a section to the benchmarks page (created with its heading if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("# Benchmarks\n\n## Runs\n\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n" + markdown)
