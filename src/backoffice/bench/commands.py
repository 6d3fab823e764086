"""`backoffice bench --lines N`: a night at that size beside the parse floor and the naive peer."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from backoffice.cli import iso_date
from backoffice.run_records import BENCH_JSON
from backoffice.settings import Settings

DEFAULT_AS_OF = date(2026, 3, 9)


def register(commands: argparse._SubParsersAction) -> None:
    bench = commands.add_parser(
        "bench",
        help="measure a night at a given size beside the parse floor and the naive peer",
        description="Generate a sample landing zone of N order lines, then measure, in this "
        "process tree: the parse floor (reading every file, no rules), the generator's oracle "
        "(the naive peer), the night in process phase by phase, and the same night through "
        "Airflow. Prints one table and appends it to docs/benchmarks.md. Everything is written "
        "under $BACKOFFICE_DATA_DIR/bench/<N>-lines (removed first).",
    )
    bench.add_argument("--lines", type=int, required=True, help="order lines to generate")
    bench.add_argument("--seed", type=int, default=7)
    bench.add_argument("--as-of", type=iso_date, default=DEFAULT_AS_OF, metavar="YYYY-MM-DD")
    bench.add_argument(
        "--no-airflow", action="store_true", help="skip the night through Airflow (quick runs)"
    )
    bench.add_argument(
        "--output",
        type=Path,
        help="the Markdown page to append to (default: docs/benchmarks.md of the project); "
        "'-' to print only",
    )
    bench.set_defaults(handler=_bench)


def _bench(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.bench.run import append_to, render_markdown, run_bench
    from backoffice.errors import BackofficeError

    if args.lines < 1:
        raise BackofficeError(f"--lines {args.lines}: give a positive number of order lines")
    result = run_bench(
        settings, lines=args.lines, as_of=args.as_of, seed=args.seed, airflow=not args.no_airflow
    )
    markdown = render_markdown(result)
    print(markdown, end="")
    work = settings.data_dir / "bench" / f"{args.lines}-lines"
    (work / BENCH_JSON).write_text(json.dumps(result.to_dict(), indent=2, default=str) + "\n")
    if str(args.output) != "-":
        output = args.output or settings.project_dir / "docs" / "benchmarks.md"
        append_to(output, markdown)
        print(f"(appended to {output})")
    return 0
