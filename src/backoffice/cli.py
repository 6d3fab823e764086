"""`backoffice`: the nightly run, its exceptions and cases, audits and feeds, from a shell.

Each area of the product declares its commands in its own module
(`<area>/commands.py`, a `register(commands)` function); this module only
assembles them and handles what every command shares: the settings, dates
written as YYYY-MM-DD, errors said in one sentence, and a closed pipe
(`backoffice exceptions | head` stops quietly, like any Unix tool).

The CLI depends on the core modules; nothing in the core imports it.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from datetime import date

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

# The areas, in the order `backoffice --help` lists their commands.
COMMAND_MODULES = (
    "backoffice.night.commands",  # run, demo, generate
    "backoffice.cases.commands",  # exceptions, cases
    "backoffice.review.commands",  # ui
    "backoffice.audit.commands",  # trace, audit-pack
    "backoffice.feeds.commands",  # feeds
    "backoffice.followup.commands",  # digest, claims, statement, escalate
    "backoffice.bench.commands",  # bench
)

EPILOG = (
    "Dates are YYYY-MM-DD (a calendar day in Italy). Settings come from the environment: "
    "BACKOFFICE_LANDING_DIR (the landing zone) and BACKOFFICE_DATA_DIR (everything the "
    "product writes); see the README. The exception types and the sign of amounts are "
    "explained in docs/glossary.md."
)


def iso_date(text: str) -> date:
    """An argparse type: a calendar date written YYYY-MM-DD, refused with what is expected."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it YYYY-MM-DD, e.g. 2026-03-09"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backoffice",
        description=__doc__.split("\n\n")[0],
        epilog=EPILOG,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is None:  # an area not built yet
            continue
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return int(args.handler(settings, args) or 0)
    except BrokenPipeError:
        # The reader (head, less, a closed terminal) went away: nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except BackofficeError as failure:
        print(f"backoffice {args.command}: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
