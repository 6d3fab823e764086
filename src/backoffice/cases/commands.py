"""`backoffice exceptions` (what the latest night published)."""

from __future__ import annotations

import argparse
import sys

from backoffice.published import write_exceptions_csv
from backoffice.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    exceptions = commands.add_parser(
        "exceptions",
        help="the exceptions the latest night published",
        description="Write the exceptions the latest night published (OUTPUT.md's columns).",
    )
    exceptions.add_argument("--format", choices=["csv"], default="csv")
    exceptions.set_defaults(handler=_exceptions)


def _exceptions(settings: Settings, args: argparse.Namespace) -> int:
    write_exceptions_csv(settings, sys.stdout)
    return 0
