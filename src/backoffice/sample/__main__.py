"""python -m backoffice.sample: write a demo landing zone and its expected-exceptions ledger.

The project's main CLI wraps `main`; it is kept argument-compatible with:
python -m backoffice.sample --landing DIR --ledger FILE --seed N --lines N \\
    --as-of 2026-03-02 --as-of 2026-03-09
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from backoffice.sample.generator import GeneratedSample, generate_landing_zone


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m backoffice.sample",
        description="Generate the sample landing zone and the ledger of expected exceptions.",
    )
    p.add_argument("--landing", type=Path, required=True, help="landing zone directory")
    p.add_argument("--ledger", type=Path, required=True, help="expected_exceptions.csv to write")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--lines", type=int, default=400, help="CRM order lines to generate")
    p.add_argument(
        "--as-of",
        dest="as_of",
        type=date.fromisoformat,
        action="append",
        required=True,
        help="a run date (YYYY-MM-DD); repeat, in the order the runs are done",
    )
    p.add_argument("--overwrite", action="store_true", help="replace an existing sample")
    p.add_argument(
        "--fourth-provider-lines",
        type=int,
        default=0,
        metavar="N",
        help="also N CRM lines of the opt-in fourth source, zefiro (Excel orders; its registry "
        "entry: backoffice.sample.zefiro.REGISTRY_ENTRY)",
    )
    return p


def summary(sample: GeneratedSample) -> str:
    lines = [f"landing zone: {sample.landing_dir}", f"ledger: {sample.ledger_path}"]
    for (source, feed), c in sample.feeds.items():
        lines.append(
            f"  {source}/{feed}: {c.files} files ({c.redelivered_files} re-delivered), "
            f"{c.records} records ({c.quarantined} corrupt)"
        )
    for as_of in sample.as_of_dates:
        counts = sample.counts_by_type(as_of)
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        lines.append(f"  as of {as_of}: {sum(counts.values())} exceptions ({detail})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        sample = generate_landing_zone(
            args.landing,
            args.ledger,
            seed=args.seed,
            order_lines=args.lines,
            as_of_dates=args.as_of,
            overwrite=args.overwrite,
            fourth_provider_lines=args.fourth_provider_lines,
        )
    except (ValueError, FileExistsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary(sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
