"""The auditors' commands: `trace`, `audit-pack` (and its `verify`) and `audit-sql`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from backoffice.cli import iso_date
from backoffice.errors import BackofficeError
from backoffice.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    trace = commands.add_parser(
        "trace",
        help="trace an exception, order line or invoice line to the landed bytes",
        description=(
            "Show where a figure comes from: the source records (file, sha256, row, the raw "
            "bytes as landed), the dbt models it passed through, the nights that judged it, "
            "their data checks and the case history. ID is an exception id (EX-...), a CRM "
            "order line id, or an invoice line written [provider:]invoice_number:line."
        ),
    )
    trace.add_argument("id", metavar="ID")
    trace.add_argument("--format", choices=["text", "json"], default="text")
    trace.set_defaults(handler=_trace)

    pack = commands.add_parser(
        "audit-pack",
        help="write (or verify) an evidence pack of the nights of a period",
        description=(
            "Write one zip with the control log, the completeness reconciliation, the data "
            "checks, the exceptions each night published and their changes, the case "
            "histories and the code versions of the nights from --from to --to, with a "
            "manifest of sha256 sums. `audit-pack verify FILE` checks a pack was not altered."
        ),
    )
    pack.add_argument("action", nargs="?", choices=["verify"], help="verify FILE")
    pack.add_argument("file", nargs="?", type=Path, metavar="FILE")
    pack.add_argument("--from", dest="first", type=iso_date, metavar="D1")
    pack.add_argument("--to", dest="last", type=iso_date, metavar="D2")
    pack.add_argument("--out", type=Path, metavar="FILE", help="where to write the zip")
    pack.set_defaults(handler=_pack)

    sql = commands.add_parser(
        "audit-sql",
        help="run one read-only query on the published warehouse",
        description=(
            "Run one query (SELECT, WITH, FROM, DESCRIBE...) on the current publication, on a "
            "read-only connection; anything that writes is refused. CSV on stdout."
        ),
    )
    sql.add_argument("query", metavar="SQL")
    sql.add_argument("--limit", type=int, default=1000)
    sql.set_defaults(handler=_sql)


def _trace(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.audit.trace import render_text, trace

    result = trace(settings, args.id)
    if args.format == "json":
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(result))
    return 0


def _pack(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.audit.pack import verify_pack, write_pack

    if args.action == "verify":
        if args.file is None:
            raise BackofficeError("say which pack to verify: backoffice audit-pack verify FILE")
        result = verify_pack(args.file)
        for problem in result.problems:
            print(problem)
        verdict = "intact" if result.ok else "ALTERED"
        print(f"{args.file}: {verdict} ({result.checked} files in the manifest)")
        return 0 if result.ok else 2
    if args.first is None or args.last is None:
        raise BackofficeError(
            "give the period: backoffice audit-pack --from YYYY-MM-DD --to YYYY-MM-DD"
        )
    out = write_pack(settings, args.first, args.last, args.out)
    print(out)
    return 0


def _sql(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.audit.sql import run_readonly

    result = run_readonly(settings, args.query, args.limit)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(["" if v is None else v for v in row] for row in result.rows)
    if result.truncated:
        print(f"(first {len(result.rows)} rows; --limit shows more)", file=sys.stderr)
    return 0
