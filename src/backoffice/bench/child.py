"""One measured piece of the benchmark, in its own process: `python -m backoffice.bench.child`.

The benchmark starts each piece as a child and reads the kernel's account of it
(wall time, CPU time, peak memory, through `os.wait4`), so pieces never share a
warm cache, an import or a heap. Arguments: the piece's name, a JSON object of
its parameters and the file to write its JSON result to. Settings come from the
environment, as for any command.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from backoffice.settings import Settings

# The night's phases as the benchmark reports them, each the pipeline steps it runs
# (the same functions the DAG's tasks call).
PHASES = ("ingest", "dbt", "checks", "publication", "report", "after")


def run_phase(settings: Settings, phase: str, as_of: date) -> dict[str, Any]:
    from backoffice import pipeline

    run_id = f"bench__{as_of.isoformat()}"
    if phase == "ingest":
        pipeline.begin_run(settings, as_of)
        feeds = pipeline.ingest_feeds(settings, as_of)["feeds"].values()
        pipeline.import_cases(settings, as_of)
        return {"files": sum(f["files_loaded"] for f in feeds)}
    if phase == "dbt":
        return pipeline.build_models(settings, as_of)
    if phase == "checks":
        return {"success": pipeline.check_build(settings, as_of, run_id)["success"]}
    if phase == "publication":
        pipeline.record_night(settings, as_of, run_id)
        return pipeline.publish_build(settings, as_of)
    if phase == "report":
        return pipeline.summarize(settings, as_of)
    if phase == "after":
        pipeline.sync_cases(settings, as_of)
        pipeline.send_digests(settings, as_of)
        return {}
    raise ValueError(f"no phase {phase!r}; the phases are {PHASES}")


def generate(params: dict[str, Any]) -> dict[str, Any]:
    """The sample, timing the generator's oracle (its pure-Python rules) on the side."""
    from backoffice.sample import generator

    dates = [date.fromisoformat(d) for d in params["as_of"]]
    # Per as-of date: the peer judges one night; the generator judges every night's date.
    spent = {d: {"wall": 0.0, "cpu": 0.0, "calls": 0} for d in dates}
    judge = generator.judge

    def timed_judge(records, as_of):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return judge(records, as_of)
        finally:
            night = spent[as_of]
            night["wall"] += time.perf_counter() - wall
            night["cpu"] += time.process_time() - cpu
            night["calls"] += 1

    generator.judge = timed_judge
    sample = generator.generate_landing_zone(
        Path(params["landing"]),
        Path(params["ledger"]),
        seed=params["seed"],
        order_lines=params["lines"],
        as_of_dates=dates,
        overwrite=True,
    )
    return {
        "oracle_wall": spent[dates[0]]["wall"],  # the first night's, which the table compares
        "oracle_cpu": spent[dates[0]]["cpu"],
        "oracle": {d.isoformat(): figures for d, figures in spent.items()},
        "files": sum(c.files for c in sample.feeds.values()),
        "files_by_date": _files_by_date(Path(params["landing"])),
        "exceptions": len(sample.ledger),
    }


def _files_by_date(landing: Path) -> dict[str, int]:
    """Files landed per delivery date (the folder name), to say what a later night adds."""
    counts: dict[str, int] = {}
    for folder in landing.glob("*/*/*"):
        if folder.is_dir():
            counts[folder.name] = counts.get(folder.name, 0) + sum(
                1 for f in folder.iterdir() if f.is_file()
            )
    return dict(sorted(counts.items()))


def main(argv: list[str]) -> int:
    piece, params, out = argv[0], json.loads(argv[1]), Path(argv[2])
    settings = Settings.from_env()
    if piece == "generate":
        result = generate(params)
    elif piece == "floor":
        from backoffice.bench.floor import parse_floor
        from backoffice.registry import load_registry

        result = parse_floor(
            settings.landing_dir,
            load_registry(settings.registry_path),
            date.fromisoformat(params["as_of"]),
        ).to_dict()
    elif piece == "phase":
        result = run_phase(settings, params["phase"], date.fromisoformat(params["as_of"]))
    elif piece == "checks-sql":
        from backoffice import quality

        result = quality.measure_checks(settings, settings.build_warehouse)
    elif piece == "airflow":
        from backoffice.night.commands import run_nightly

        result = {"summary": str(run_nightly(settings, date.fromisoformat(params["as_of"])))}
    else:
        raise SystemExit(f"unknown piece {piece!r}")
    out.write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
