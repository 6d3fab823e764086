"""`backoffice run`, `demo` and `generate`: a night through Airflow, and sample data."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from backoffice.airflow_env import DAG_ID, airflow_environment, airflow_ready
from backoffice.cli import iso_date
from backoffice.dbt_runner import start_first_parse
from backoffice.errors import BackofficeError
from backoffice.night.airflow_cli import PREPARE
from backoffice.preflight import check_before_night
from backoffice.published import write_exceptions_csv
from backoffice.run_records import RunRecords, records
from backoffice.settings import Settings

ROME = ZoneInfo("Europe/Rome")
DEMO_AS_OF = (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16))
SAMPLE_MARKER = ".backoffice-sample"


class RunFailedError(BackofficeError):
    """The nightly DAG run failed; the message says why."""


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run",
        help="one nightly run as of a date, through Airflow",
        description="Run the nightly DAG through Airflow for one as-of date and print its "
        "summary. Exits 0 when the run succeeded, whatever it found.",
    )
    run.add_argument("--as-of", required=True, type=iso_date, metavar="YYYY-MM-DD")
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental model from the raw data instead of adding tonight's "
        "scope (after a change to a dbt macro; the history is kept)",
    )
    run.set_defaults(handler=_run)

    demo = commands.add_parser(
        "demo", help="generate a sample landing zone and run several successive nights on it"
    )
    demo.add_argument("--lines", type=int, default=400, help="order lines (default 400)")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--as-of", action="append", type=iso_date, dest="as_of_dates")
    demo.set_defaults(handler=_demo)

    generate = commands.add_parser("generate", help="write a sample landing zone and its ledger")
    generate.add_argument("--lines", type=int, default=400)
    generate.add_argument("--seed", type=int, default=7)
    generate.add_argument("--as-of", action="append", type=iso_date, dest="as_of_dates")
    generate.add_argument(
        "--fourth-provider-lines",
        type=int,
        default=0,
        metavar="N",
        help="also N order lines of the sample fourth provider, zefiro (Excel orders); its "
        "files load only once its registry entry is added (docs/data-engineers.md)",
    )
    generate.set_defaults(handler=_generate)


def _run(settings: Settings, args: argparse.Namespace) -> int:
    summary = run_nightly(settings, args.as_of, full_refresh=args.full_refresh)
    print(summary.read_text(encoding="utf-8"), end="")
    return 0


def _generate(settings: Settings, args: argparse.Namespace) -> int:
    dates = args.as_of_dates or list(DEMO_AS_OF)
    if args.fourth_provider_lines < 0:
        raise BackofficeError("--fourth-provider-lines: give zero or a positive number of lines")
    ledger = generate_sample(
        settings,
        lines=args.lines,
        seed=args.seed,
        as_of_dates=dates,
        fourth_provider_lines=args.fourth_provider_lines,
    )
    print(f"sample landing zone: {settings.landing_dir}\nexpected exceptions: {ledger}")
    return 0


def run_nightly(settings: Settings, as_of: date, *, full_refresh: bool = False) -> Path:
    """Run the nightly DAG through Airflow for one date; return the run's summary file.

    Plain mistakes (no landing zone, a date the DAG cannot run) are refused before Airflow
    starts: under `airflow dags test` a date before the DAG's start would run no task and
    still count as a success.
    """
    check_before_night(settings, as_of)
    env = airflow_environment(settings)
    # A first night makes Airflow's metadata database and pool in the night's own process.
    prepare = [] if airflow_ready(env) else [PREPARE]
    # The night loads no web plugin: the review app's (plugins/) serves Airflow's web server,
    # and importing it (FastAPI, its routes and templates) cost every night about 0.9 s of CPU.
    # The OpenLineage listener is a provider's plugin and is still loaded.
    no_plugins = settings.airflow_home / "night-plugins"
    no_plugins.mkdir(parents=True, exist_ok=True)
    env["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(no_plugins)
    night = records(settings, as_of).create()
    night.clear_attempt()
    # A data directory's first night: dbt's whole parse on the other core while Airflow starts.
    parse = start_first_parse(settings, env)
    # The night after the as-of date, at 02:00 Italian time: when the scheduler would run it.
    logical = datetime.combine(as_of + timedelta(days=1), time(2, 0), ROME)
    try:
        done = _dags_test(night.airflow_log, env, prepare, logical, as_of, full_refresh)
    finally:
        if parse is not None:  # done long before: the night's first dbt layer waited for it
            if parse.poll() is None:  # the night was stopped: the parse goes with it
                parse.kill()
            parse.wait()
            if parse.stdout is not None:
                parse.stdout.close()
    if done.returncode != 0 or not night.summary_txt.exists():
        raise RunFailedError(failure_reason(night))
    return night.summary_txt


def _dags_test(
    airflow_log: Path,
    env: dict[str, str],
    prepare: list[str],
    logical: datetime,
    as_of: date,
    full_refresh: bool,
) -> subprocess.CompletedProcess:
    """Airflow's `dags test` of the nightly DAG, its output in the night's Airflow log."""
    with open(airflow_log, "w", encoding="utf-8") as log:
        return subprocess.run(
            [
                # Airflow's CLI, with a quicker exit once the night is done (airflow_cli.py)
                sys.executable,
                "-m",
                "backoffice.night.airflow_cli",
                *prepare,
                "dags",
                "test",
                DAG_ID,
                logical.isoformat(),
                "--conf",
                json.dumps({"as_of": as_of.isoformat(), "full_refresh": full_refresh}),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def failure_reason(night: RunRecords) -> str:
    """Why a night failed, in one line: its own record of it, else the log's last error."""
    if night.failure_txt.exists():
        reason = night.failure_txt.read_text(encoding="utf-8").strip()
    else:
        log = night.airflow_log
        lines = (log.read_text(encoding="utf-8", errors="replace") if log.exists() else "").split(
            "\n"
        )
        errors = [n for n, line in enumerate(lines) if re.match(_EXCEPTION_LINE, line)]
        reason = "the DAG run did not succeed"
        if errors:  # the last exception, with its message's indented lines (dbt's, DuckDB's)
            first = errors[-1]
            message = [lines[first].strip()]
            for line in lines[first + 1 : first + 1 + _MESSAGE_LINES]:
                if not line.startswith((" ", "\t")) or re.match(_EXCEPTION_LINE, line):
                    break
                message.append(line.rstrip())
            reason = "\n".join(m for m in message if m.strip())
    return f"nightly run failed: {reason}\n(full Airflow log: {night.airflow_log})"


_EXCEPTION_LINE = r"^\s*[\w.]+(Error|Exception): "
_MESSAGE_LINES = 8  # at most, after the exception's first line


def generate_sample(
    settings: Settings,
    *,
    lines: int,
    seed: int,
    as_of_dates: Sequence[date],
    fourth_provider_lines: int = 0,
) -> Path:
    """Write a sample landing zone (refusing to overwrite real deliveries) and its ledger."""
    from backoffice.sample import generate_landing_zone

    landing = settings.landing_dir
    if landing.exists() and any(landing.iterdir()) and not (landing / SAMPLE_MARKER).exists():
        raise BackofficeError(
            f"{landing} holds deliveries that are not sample data; "
            "set BACKOFFICE_LANDING_DIR to an empty folder for the sample"
        )
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    (landing / SAMPLE_MARKER).write_text(f"seed={seed} lines={lines}\n", encoding="utf-8")
    ledger = settings.data_dir / "sample" / "expected_exceptions.csv"
    ledger.parent.mkdir(parents=True, exist_ok=True)
    generate_landing_zone(
        landing,
        ledger,
        seed=seed,
        order_lines=lines,
        as_of_dates=list(as_of_dates),
        fourth_provider_lines=fourth_provider_lines,
    )
    return ledger


def reset_outputs(settings: Settings) -> None:
    """Forget earlier runs (warehouse, publications, run records); Airflow's home stays."""
    for name in ("build", "published", "runs", "gx"):
        shutil.rmtree(settings.data_dir / name, ignore_errors=True)


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    dates = sorted(args.as_of_dates or DEMO_AS_OF)
    print(f"Generating a sample landing zone ({args.lines} order lines, seed {args.seed})...")
    ledger = generate_sample(settings, lines=args.lines, seed=args.seed, as_of_dates=dates)
    reset_outputs(settings)
    summary = None
    for as_of in dates:
        print(f"Nightly run as of {as_of} through Airflow...", flush=True)
        summary = run_nightly(settings, as_of)
    print()
    print(summary.read_text(encoding="utf-8"), end="")
    print(f"  {'ledger':<12} {ledger} (what the generator injected)")
    missing, unexpected, total = compare_with_ledger(settings, ledger, dates[-1])
    if missing or unexpected:
        print(
            f"\nThe published exceptions differ from the ledger: {len(missing)} missing, "
            f"{len(unexpected)} not expected, e.g. {(missing or unexpected)[0]}"
        )
        return 1
    print(f"\nThe published exceptions are exactly the generator's ledger ({total} of {total}).")
    return 0


LEDGER_COMPARED = (
    "exception_type", "status", "provider", "customer_vat", "order_id", "order_line_id",
    "invoice_number", "invoice_line", "period_month", "detected_on", "amount_eur",
    "credited_eur", "source_file", "source_row",
)  # fmt: skip


def compare_with_ledger(
    settings: Settings, ledger: Path, as_of: date
) -> tuple[list[tuple], list[tuple], int]:
    """What the ledger expects as of a date and the publication lacks, and the reverse."""
    from backoffice.sample.ledger import read

    expected = {
        tuple(row[c] for c in LEDGER_COMPARED)
        for row in read(ledger)
        if row["as_of"] == as_of.isoformat()
    }
    out = io.StringIO()
    write_exceptions_csv(settings, out)
    out.seek(0)
    published = {tuple(row[c] for c in LEDGER_COMPARED) for row in csv.DictReader(out)}
    return sorted(expected - published), sorted(published - expected), len(expected)
