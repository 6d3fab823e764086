"""What publication costs, measured on real nights (development only; needs the sample generator).

    python -m backoffice.warehouse.measure --lines 5000 --root /tmp/publication-5k

Generates a sample, runs three nights in process with BACKOFFICE_PUBLICATION=parts (the
first two with deliveries, a third with none), and prints per night: the build's size (what a
full copy writes, and what the copy mode wrote until now), the bytes the parts publication
wrote, the publication step's wall and CPU seconds, the seconds a full copy of the same build
takes on the same disk, and the disk the published directory holds. Then it times the review
app's and the auditors' reads on the last night's catalog against a full copy of it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from backoffice import pipeline, publish
from backoffice.settings import Settings

NIGHTS = (date(2026, 3, 2), date(2026, 3, 9))
QUIET = date(2026, 3, 16)


def _settings(root: Path) -> Settings:
    return Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(root / "landing"),
            "BACKOFFICE_DATA_DIR": str(root / "data"),
            "BACKOFFICE_PUBLICATION": "parts",
            "BACKOFFICE_AUDIT_DOCS": "0",
        }
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _disk(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def measure(lines: int, root: Path, seed: int = 11) -> dict[str, Any]:
    from backoffice.sample import generate_landing_zone  # development only

    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    settings = _settings(root)
    started = time.monotonic()
    generate_landing_zone(
        settings.landing_dir, root / "ledger.csv", seed=seed, order_lines=lines, as_of_dates=NIGHTS
    )
    figures: dict[str, Any] = {"lines": lines, "generate_s": round(time.monotonic() - started, 1)}
    steps: list[dict[str, Any]] = []
    original = publish.publish

    def timed(settings: Settings, as_of: date, **kwargs: Any) -> publish.Publication:
        wall, cpu = time.monotonic(), _cpu()
        result = original(settings, as_of, **kwargs)
        steps.append({"wall_s": time.monotonic() - wall, "cpu_s": _cpu() - cpu, **result.written})
        return result

    publish.publish = timed  # the night's own publication step, timed where it runs
    try:
        for as_of in (*NIGHTS, QUIET):
            wall, cpu = time.monotonic(), _cpu()
            pipeline.run_night(settings, as_of)
            night = {"as_of": as_of.isoformat(), "night_wall_s": time.monotonic() - wall}
            night["night_cpu_s"] = _cpu() - cpu
            night.update(steps[-1])
            night["build_bytes"] = settings.build_warehouse.stat().st_size
            night["copy_s"] = _time(lambda: _copy(settings.build_warehouse, _full_copy(settings)))
            full_copy = _full_copy(settings).stat().st_size
            night["published_dir_bytes"] = _disk(settings.published_dir) - full_copy
            figures[as_of.isoformat()] = {k: _round(v) for k, v in night.items()}
            print(json.dumps({as_of.isoformat(): figures[as_of.isoformat()]}), flush=True)
    finally:
        publish.publish = original
    figures["reads"] = _reads(settings)
    return figures


def _full_copy(settings: Settings) -> Path:
    """Where the measure keeps a full copy of the last build, beside the publications."""
    return settings.published_dir / "full-copy.duckdb"


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb") as fh:
        os.fsync(fh.fileno())


def _time(work: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.monotonic()
        work()
        best = min(best, time.monotonic() - started)
    return best


def _reads(settings: Settings) -> dict[str, dict[str, float]]:
    """The same reads on the catalog and on a full copy of the same night (best of 3, ms)."""
    import duckdb

    from backoffice.audit.sql import run_readonly
    from backoffice.review import sources

    with publish.connect_published(settings) as con:
        row = con.execute(
            "select source_file, source_row, order_line_id, customer_vat from marts.exceptions "
            "where source_file is not null order by exception_id limit 1"
        ).fetchone()
    catalog = publish.current_publication(settings)
    reads = {
        "exception page (landed records)": lambda: sources.source_records(settings, *row[:3]),
        "customer names": lambda: sources.customer_names(settings, [row[3]]),
        "rows not loaded": lambda: sources.quarantined_rows(settings),
        "audit-sql: open euro by provider": lambda: run_readonly(
            settings,
            "select provider, sum(amount_eur) from marts.exceptions "
            "where status = 'open' group by provider",
        ),
        "audit-sql: lineage of a file": lambda: run_readonly(
            settings, f"select count(*) from marts.row_lineage where source_file = '{row[0]}'"
        ),
    }
    results: dict[str, dict[str, float]] = {}
    for name, read in reads.items():
        results[name] = {"parts_ms": round(1000 * _time(read, 3), 1)}
    # the same reads against the full copy, by pointing the settings' pointer at it
    publish._switch_pointer(settings.published_dir, _full_copy(settings).name)
    try:
        duckdb.connect(str(_full_copy(settings)), read_only=True).close()
        for name, read in reads.items():
            results[name]["copy_ms"] = round(1000 * _time(read, 3), 1)
    finally:
        publish._switch_pointer(settings.published_dir, catalog.name)
    return results


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--reads-only", action="store_true", help="time reads of a measured root")
    args = parser.parse_args()
    load = os.getloadavg()
    figures = measure(args.lines, args.root) if not args.reads_only else {}
    if args.reads_only:
        figures["reads"] = _reads(_settings(args.root))
    figures["load_average_before"] = [round(x, 2) for x in load]
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
