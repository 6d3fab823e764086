"""`backoffice ui`: the review app inside Airflow, on this machine, in one command."""

from __future__ import annotations

import argparse

from backoffice.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    ui = commands.add_parser(
        "ui",
        help="start Airflow with the back-office review app on this machine",
        description=(
            "Start Airflow (API server, scheduler, DAG processor) with the review app, set up "
            "from the project: its DAGs and plugins, no examples, metadata in the data "
            "directory, a parallelism for this machine, and a login for each person in "
            "config/cases.yml. Prints the URL and the logins; Ctrl-C stops every process. "
            "The exception types and the sign of amounts are explained in docs/glossary.md."
        ),
    )
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    ui.add_argument("--port", type=int, default=8080, help="port to listen on (8080)")
    ui.set_defaults(handler=_ui)


def _ui(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.review.launcher import run_ui

    return run_ui(settings, host=args.host, port=args.port)
