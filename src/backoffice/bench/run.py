"""`backoffice bench`: a night at a given size beside the parse floor and the naive peer.

In one run and one process tree: the product's generator writes a sample (its
pure-Python oracle timed on the side: the naive peer); the parse floor reads
the same files (bench/floor.py); the night runs in process, one child process
per phase (ingest, dbt, data checks, publication, report, after), each
measured by the kernel (wall, CPU, peak memory); and, unless told not to, the
same night runs again through Airflow (`airflow dags test`, as `backoffice
run` does) on its own data directory, its phases read from Airflow's task
records. One table of figures and ratios is printed and appended to
docs/benchmarks.md with the machine it ran on. A benchmark states figures
beside a baseline; it asserts nothing about seconds.
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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from backoffice.bench.child import PHASES
from backoffice.errors import BackofficeError
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
    "list_feeds": "ingest",
    "ingest": "ingest",
    "import_cases": "ingest",
    "check": "checks",
    "record_night": "publication",
    "publish": "publication",
    "summarize": "report",
    "sync_cases": "after",
    "send_digests": "after",
}


class BenchFailedError(BackofficeError):
    """A measured piece of the benchmark failed; the message names its log."""


@dataclass(frozen=True)
class Measure:
    """What the kernel says one child process (and the processes it waited for) cost."""

    wall: float
    cpu: float
    peak_mb: float
    detail: dict[str, Any] = field(default_factory=dict)


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

    @property
    def night(self) -> Measure:
        """The in-process night: every phase, one after the other."""
        return Measure(
            wall=sum(m.wall for m in self.phases.values()),
            cpu=sum(m.cpu for m in self.phases.values()),
            peak_mb=max(m.peak_mb for m in self.phases.values()),
        )

    @property
    def naive_wall(self) -> float:
        return float(self.generate.detail["oracle_wall"])

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
        }


def run_bench(
    settings: Settings,
    *,
    lines: int,
    as_of: date,
    seed: int = 7,
    airflow: bool = True,
    workdir: Path | None = None,
    phases: tuple[str, ...] = PHASES,
) -> BenchResult:
    """Generate a sample of `lines` order lines and measure every piece on it.

    `phases` may stop the in-process night early (a quick check of the bench itself).
    """
    work = workdir or settings.data_dir / "bench" / f"{lines}-lines"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    landing = work / "landing"
    started = datetime.now(UTC)
    load = os.getloadavg()
    night_settings = _settings(settings, landing, work / "night")
    generated = _measure(
        "generate",
        {
            "landing": str(landing),
            "ledger": str(work / "expected_exceptions.csv"),
            "lines": lines,
            "seed": seed,
            "as_of": [as_of.isoformat()],
        },
        night_settings,
        work,
    )
    floor = _measure("floor", {"as_of": as_of.isoformat()}, night_settings, work)
    phases = {
        phase: _measure("phase", {"phase": phase, "as_of": as_of.isoformat()}, night_settings, work)
        for phase in phases
    }
    result = BenchResult(lines, as_of, started, generated, floor, phases, load_average=load)
    result.disk = _disk(night_settings)
    if airflow:
        try:
            result.airflow, result.airflow_phases = _airflow_night(settings, landing, work, as_of)
        except Exception as failure:  # the in-process figures still stand: report both
            result.airflow_error = str(failure).splitlines()[0][:300]
    return result


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


def _measure(piece: str, params: dict[str, Any], settings: Settings, work: Path) -> Measure:
    """Run one piece in a child process; the kernel's rusage of it (and its children)."""
    name = piece if piece != "phase" else f"phase-{params['phase']}"
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
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, detail)


def _airflow_night(
    settings: Settings, landing: Path, work: Path, as_of: date
) -> tuple[Measure, dict[str, float]]:
    """The same night through Airflow on its own data directory; its phases' wall times."""
    from backoffice.airflow_env import airflow_environment, ensure_airflow

    night = _settings(settings, landing, work / "airflow-night")
    env = airflow_environment(night)
    ensure_airflow(night, env)  # once per Airflow home: not part of a night
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
        "landing": sum(p.stat().st_size for p in settings.landing_dir.rglob("*") if p.is_file()),
    }


# --- the table ----------------------------------------------------------------------------


def from_dict(data: dict[str, Any]) -> BenchResult:
    """A result read back from its bench.json (to render it again)."""

    def m(x: dict[str, Any] | None) -> Measure | None:
        return None if x is None else Measure(**x)

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


def render_markdown(result: BenchResult) -> str:
    floor, night, naive = result.floor, result.night, result.naive_wall
    counts = result.floor.detail
    out = [
        f"### {result.lines:,} order lines, as of {result.as_of.isoformat()}",
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
        "| what | wall s | CPU s | peak MiB | wall / floor | CPU / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(label: str, m: Measure | None, wall: float | None = None, cpu: float | None = None):
        w = m.wall if m is not None else wall
        c = m.cpu if m is not None else cpu
        peak = f"{m.peak_mb:,.0f}" if m is not None and m.peak_mb else "-"
        c_text = "-" if c is None else f"{c:.1f}"
        c_ratio = "-" if c is None else f"{c / floor.cpu:.2f}"
        out.append(f"| {label} | {w:.1f} | {c_text} | {peak} | {w / floor.wall:.2f} | {c_ratio} |")

    row("parse floor: DuckDB reads every CSV/NDJSON, lxml every invoice, no rules", floor)
    naive_cpu = float(result.generate.detail.get("oracle_cpu", 0.0))
    row("naive peer: the generator's pure-Python oracle (rules only)", None, naive, naive_cpu)
    for phase, m in result.phases.items():
        row(f"night in process: {PHASE_NAMES[phase]}", m)
    row("**night in process, all phases**", night)
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
        out.append(f"| night through Airflow | failed: {result.airflow_error} | | | | |")
    out.append("")
    ratios = [
        f"in-process night / parse floor {night.wall / floor.wall:.1f} (CPU "
        f"{night.cpu / floor.cpu:.1f})",
        f"naive peer / in-process night {naive / night.wall:.2f}",
    ]
    if result.airflow is not None:
        ratios += [
            f"Airflow night / parse floor {result.airflow.wall / floor.wall:.1f} (CPU "
            f"{result.airflow.cpu / floor.cpu:.1f})",
            f"naive peer / Airflow night {naive / result.airflow.wall:.2f}",
            f"Airflow's own cost (Airflow night - in-process night) "
            f"{result.airflow.wall - night.wall:.1f} s",
        ]
    out.append("Ratios: " + "; ".join(ratios) + ".")
    out.append(
        f"Disk: warehouse {result.disk.get('warehouse', 0) / 2**20:,.1f} MiB; a night writes "
        f"one publication of {result.disk.get('publication', 0) / 2**20:,.1f} MiB."
    )
    return "\n".join(out) + "\n"


def append_to(path: Path, markdown: str) -> None:
    """Append a section to the benchmarks page (created with its heading if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("# Benchmarks\n\n## Runs\n\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n" + markdown)
