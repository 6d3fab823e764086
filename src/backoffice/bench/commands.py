"""`backoffice bench --lines N`: a night at that size beside the parse floor and the naive peer."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from backoffice.cli import iso_date
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
    bench.add_argument("--lines", type=int, help="order lines to generate")
    bench.add_argument("--seed", type=int, default=7)
    bench.add_argument("--as-of", type=iso_date, default=DEFAULT_AS_OF, metavar="YYYY-MM-DD")
    bench.add_argument(
        "--later-days",
        type=int,
        default=1,
        metavar="N",
        help="also run the night as of the as-of date + N days, incrementally on the same data "
        "directory and as a full rebuild on a fresh one (default 1; 0 to skip)",
    )
    bench.add_argument(
        "--side-by-side",
        nargs="+",
        type=Path,
        metavar="BENCH_JSON",
        help="print one table of earlier runs side by side, from their bench.json files "
        "(nothing is run)",
    )
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

    if args.side_by_side:
        print(_side_by_side(args.side_by_side), end="")
        return 0
    if args.lines is None or args.lines < 1:
        raise BackofficeError(
            f"--lines {args.lines}: give a positive number of order lines (or --side-by-side)"
        )
    if args.later_days < 0:
        raise BackofficeError(f"--later-days {args.later_days}: give 0 (no later night) or more")
    result = run_bench(
        settings,
        lines=args.lines,
        as_of=args.as_of,
        seed=args.seed,
        airflow=not args.no_airflow,
        later_days=args.later_days,
    )
    markdown = render_markdown(result)  # its bench.json is saved as the run goes
    print(markdown, end="")
    if str(args.output) != "-":
        output = args.output or settings.project_dir / "docs" / "benchmarks.md"
        append_to(output, markdown)
        print(f"(appended to {output})")
    return 0


def _side_by_side(paths: list[Path]) -> str:
    from backoffice.bench.run import from_dict, render_side_by_side
    from backoffice.errors import BackofficeError

    results = []
    for path in paths:
        try:
            results.append(from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError) as failure:
            raise BackofficeError(
                f"{path}: not a bench.json that `backoffice bench` wrote ({failure})"
            ) from failure
    return render_side_by_side(results)
