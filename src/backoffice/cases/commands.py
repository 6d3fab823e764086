"""`backoffice exceptions` and `backoffice cases`: the back office's listings and case work.

Thin over the package: the published exceptions come from `backoffice.published`,
cases from `backoffice.cases.store`, files from `backoffice.exports`. Every
listing takes the same filters, writes table, CSV or .xlsx, and says what it
expects when a value is wrong.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from backoffice import exports, publish
from backoffice.cases import people
from backoffice.cli import iso_date
from backoffice.errors import BackofficeError
from backoffice.published import (
    EXCEPTION_COLUMNS,
    EXCEPTION_STATUSES,
    EXCEPTION_TYPES,
    OWNERS,
    SEVERITIES,
    ExceptionFilter,
    csv_value,
    select_exceptions,
    write_exceptions_csv,
)
from backoffice.settings import Settings

GLOSSARY = "docs/glossary.md"
HOWTO = "docs/back-office.md"
CASE_STATUSES = ("new", "in_progress", "waiting_provider", "waiting_customer", "closed")
SORTS = (
    "detected_on",
    "amount_eur",
    "age_business_days",
    "due_date",
    "severity",
    "exception_type",
    "provider",
    "customer_vat",
    "status",
    "assignee",
)

CASE_COLUMNS = (
    "exception_id",
    "case_status",
    "assignee",
    "due_date",
    "overdue",
    "root_cause",
    "exception_type",
    "exception_status",
    "severity",
    "owner",
    "provider",
    "customer_vat",
    "customer_name",
    "order_id",
    "order_line_id",
    "invoice_number",
    "invoice_line",
    "period_month",
    "detected_on",
    "age_business_days",
    "amount_eur",
    "credited_eur",
    "credit_expected_eur",
    "credit_received_eur",
    "evidence",
    "last_note",
    "source_file",
    "source_row",
    "opened_at",
    "updated_at",
    "closed_at",
    "closed_by",
)
CASE_TABLE = (
    ("exception_id", 19),
    ("case_status", 16),
    ("assignee", 10),
    ("due_date", 10),
    ("exception_type", 25),
    ("provider", 8),
    ("customer_vat", 13),
    ("amount_eur", 10),
    ("severity", 6),
    ("age_business_days", 3),
)
TABLE_LABELS = {"age_business_days": "age", "credited_eur": "credited"}
EXCEPTION_TABLE = (
    ("exception_id", 19),
    ("exception_type", 25),
    ("status", 8),
    ("provider", 8),
    ("customer_vat", 13),
    ("amount_eur", 10),
    ("credited_eur", 10),
    ("severity", 6),
    ("owner", 16),
    ("detected_on", 10),
)


def register(commands: argparse._SubParsersAction) -> None:
    _register_exceptions(commands)
    _register_cases(commands)


# --- argument types -------------------------------------------------------------------
def choice_list(choices: Sequence[str], what: str) -> Callable[[str], list[str]]:
    """An argparse type: one value or several separated by commas, each one of `choices`."""

    def parse(text: str) -> list[str]:
        values = [v.strip() for v in text.split(",") if v.strip()]
        wrong = [v for v in values if v not in choices]
        if wrong or not values:
            raise argparse.ArgumentTypeError(
                f"{', '.join(wrong) or repr(text)} is not a {what}; "
                f"expected one of {', '.join(choices)} (several: separate with commas)"
            )
        return values

    return parse


def name_list(text: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise argparse.ArgumentTypeError("give at least one name (several: separate with commas)")
    return values


def vat(text: str) -> str:
    text = text.strip().upper()
    if not (len(text) == 13 and text.startswith("IT") and text[2:].isdigit()):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a customer VAT number: write IT and 11 digits, e.g. IT01234567890"
        )
    return text


def money(text: str) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an amount: write euros with a dot, e.g. 120.50"
        ) from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a positive amount, e.g. 120.50")
    return str(amount)


def _output_options(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "xlsx"),
        default=default,
        help=f"table (for reading), csv or xlsx (needs --out); default {default}",
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of the terminal"
    )


def _exception_filters(parser: argparse.ArgumentParser) -> Any:
    group = parser.add_argument_group("filters (repeat an option or separate values by commas)")
    group.add_argument(
        "--type",
        dest="exception_type",
        action="extend",
        default=[],
        metavar="TYPE",
        type=choice_list(EXCEPTION_TYPES, "exception type"),
        help="exception type, e.g. DUPLICATE_CHARGE (all types: " + GLOSSARY + ")",
    )
    group.add_argument(
        "--provider",
        action="extend",
        default=[],
        type=name_list,
        help="provider source name, e.g. alfa",
    )
    group.add_argument(
        "--owner",
        action="extend",
        default=[],
        type=choice_list(OWNERS, "owner"),
        help="who must act: " + ", ".join(OWNERS),
    )
    group.add_argument(
        "--severity",
        action="extend",
        default=[],
        type=choice_list(SEVERITIES, "severity"),
        help="high, medium or low",
    )
    group.add_argument(
        "--customer", type=vat, metavar="VAT", help="one customer, e.g. IT01234567890"
    )
    return group


# --- backoffice exceptions ------------------------------------------------------------
def _register_exceptions(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "exceptions",
        help="the exceptions the latest night published (or the night of --as-of)",
        description=(
            "List the exceptions a night found: what is wrong, for which customer, by how "
            "much, and the landed file and row that prove it. With no option it writes the "
            "latest night's whole table as CSV, exactly the columns of the contract "
            "(OUTPUT.md), for scripts. The exception types, their severity and owner, and "
            f"the sign of amounts are explained in {GLOSSARY}."
        ),
        epilog=(
            "Examples:\n"
            "  backoffice exceptions --status open --owner provider_billing --format table\n"
            "  backoffice exceptions --provider alfa --type DUPLICATE_CHARGE,PRICE_MISMATCH\n"
            "  backoffice exceptions --as-of 2026-03-02 --format xlsx --out march-2.xlsx"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group = _exception_filters(parser)
    group.add_argument(
        "--status",
        action="extend",
        default=[],
        type=choice_list(EXCEPTION_STATUSES, "status of an exception"),
        help="open, credited or resolved",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="what the night of that date published, instead of the latest night",
    )
    _output_options(parser, "csv")
    parser.set_defaults(handler=_exceptions)


def _exceptions(settings: Settings, args: argparse.Namespace) -> int:
    flt = ExceptionFilter(
        status=tuple(args.status),
        exception_type=tuple(args.exception_type),
        provider=tuple(args.provider),
        owner=tuple(args.owner),
        severity=tuple(args.severity),
        customer_vat=args.customer,
    )
    _check_output(args)
    if flt.is_empty() and args.format == "csv" and args.as_of is None and args.out is None:
        write_exceptions_csv(settings, sys.stdout)  # the contract's table, byte for byte
        return 0
    with publish.connect_published(settings) as con:
        relation = "marts.exceptions"
        if args.as_of is not None:
            relation = _night_relation(con, args.as_of)
        cursor = select_exceptions(con, flt, relation=relation)
        rows = _fetch(cursor)
        if args.format == "xlsx":
            count = exports.write_xlsx(args.out, EXCEPTION_COLUMNS, rows, sheet="Exceptions")
            print(f"{count} exception(s) written to {args.out}", file=sys.stderr)
        elif args.format == "csv":
            with _open_out(args.out) as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(EXCEPTION_COLUMNS)
                for row in rows:
                    writer.writerow([csv_value(v) for v in row])
        else:
            index = {c: i for i, c in enumerate(EXCEPTION_COLUMNS)}
            with _open_out(args.out) as out:
                _table(
                    out,
                    EXCEPTION_TABLE,
                    ([row[index[c]] for c, _ in EXCEPTION_TABLE] for row in rows),
                )
    return 0


def _night_relation(con: Any, as_of: date) -> str:
    """A view of what the night of `as_of` published (the audit area keeps that history)."""
    try:
        from backoffice.audit.history import published_exceptions
    except ImportError:
        raise BackofficeError(
            "--as-of needs the history of published nights, which this installation lacks; "
            "list the latest night without --as-of"
        ) from None
    relation = published_exceptions(con, as_of)
    return f"({relation.sql_query()}) as night_exceptions"  # the publication is read-only


def _fetch(cursor: Any) -> Iterator[tuple]:
    while batch := cursor.fetchmany(5_000):
        yield from batch


# --- backoffice cases ------------------------------------------------------------------
def _register_cases(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "cases",
        help="work the cases: list, show, update, bulk",
        description=(
            "Every exception is a case the back office works until it is closed: who has "
            "it, its status (new, in_progress, waiting_provider, waiting_customer, closed), "
            "its due date, its root cause and notes. Every change is kept with who made it "
            f"and when. How to work cases from here: {HOWTO}; the words: {GLOSSARY}."
        ),
    )
    sub = parser.add_subparsers(dest="cases_command", required=True, metavar="ACTION")

    listing = sub.add_parser(
        "list",
        help="list the cases a filter selects",
        description="List cases, newest first unless --sort says otherwise.",
        epilog=(
            "Examples:\n"
            "  backoffice cases list --status new --provider alfa --type DUPLICATE_CHARGE\n"
            "  backoffice cases list --assignee anna --overdue\n"
            "  backoffice cases list --owner provider_billing --format xlsx --out cases.xlsx"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _case_filters(listing)
    listing.add_argument(
        "--sort", choices=SORTS, default="detected_on", help="order by (default detected_on)"
    )
    listing.add_argument("--ascending", action="store_true", help="smallest first")
    _output_options(listing, "table")
    listing.set_defaults(handler=_cases_list)

    show = sub.add_parser(
        "show",
        help="one case: the exception, its state, history and notes",
        description="Show one case with its whole history and notes.",
    )
    show.add_argument("exception_id", metavar="ID", help="the case's exception_id")
    show.set_defaults(handler=_cases_show)

    upd = sub.add_parser(
        "update",
        help="change one or more cases named by id",
        description=(
            "Change the named cases. Every change is recorded with who made it (--as, or "
            "BACKOFFICE_USER) and when. Closing needs a root cause. Moves allowed: new -> "
            "anything; in_progress <-> waiting_provider <-> waiting_customer; any open "
            "status -> closed; closed -> in_progress (reopen)."
        ),
        epilog=(
            "Example:\n"
            "  backoffice cases update 3f2a... 9bc1... --status waiting_provider "
            '--note "claim sent to Alfa" --as anna'
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    upd.add_argument("exception_ids", nargs="+", metavar="ID", help="the cases' exception_id")
    _changes(upd)
    upd.set_defaults(handler=_cases_update)

    bulk = sub.add_parser(
        "bulk",
        help="the same change on every case a filter selects",
        description=(
            "Assign, change status or add a note to every case the filters select, in one "
            "transaction (all or nothing). Say at least one filter, or --all."
        ),
        epilog=(
            "Example: give a provider's new duplicate charges to one person at once\n"
            "  backoffice cases bulk --provider alfa --type DUPLICATE_CHARGE --status new "
            "--set-assignee marco --as lucia"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _case_filters(bulk)
    bulk.add_argument("--all", action="store_true", help="select every case (no filter)")
    bulk.add_argument(
        "--dry-run", action="store_true", help="only say how many cases the filters select"
    )
    _changes(bulk, prefix="set-")
    bulk.set_defaults(handler=_cases_bulk)


def _case_filters(parser: argparse.ArgumentParser) -> None:
    group = _exception_filters(parser)
    group.add_argument(
        "--status",
        action="extend",
        default=[],
        type=choice_list(CASE_STATUSES, "case status"),
        help="case status: " + ", ".join(CASE_STATUSES),
    )
    group.add_argument(
        "--exception-status",
        action="extend",
        default=[],
        type=choice_list(EXCEPTION_STATUSES, "status of an exception"),
        help="what the latest night says of the exception: open, credited, resolved",
    )
    group.add_argument(
        "--assignee",
        action="extend",
        default=[],
        type=name_list,
        help="who has the case; 'nobody' for cases not yet taken",
    )
    group.add_argument("--overdue", action="store_true", help="open cases past their due date")
    group.add_argument("--text", help="words in the id, order, invoice, customer or evidence")


def _changes(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    group = parser.add_argument_group("changes")
    group.add_argument(
        f"--{prefix}status",
        dest="new_status",
        choices=CASE_STATUSES,
        help="the new case status",
    )
    group.add_argument(
        f"--{prefix}assignee",
        dest="new_assignee",
        metavar="NAME",
        help="give the cases to NAME (a person in config/cases.yml); '' takes them back",
    )
    group.add_argument(
        "--root-cause", metavar="CODE", help="why it happened (codes in config/cases.yml)"
    )
    group.add_argument("--note", metavar="TEXT", help="add a note (notes are never changed)")
    group.add_argument(
        "--credit-expected", type=money, metavar="EUR", help="billing cases: credit expected"
    )
    group.add_argument(
        "--credit-received", type=money, metavar="EUR", help="billing cases: credit received"
    )
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="USER",
        help="who makes the change (default: BACKOFFICE_USER)",
    )


def _case_filter(args: argparse.Namespace):
    from backoffice.cases.store import CaseFilter

    assignees = tuple("" if a in ("nobody", "none") else a for a in args.assignee)
    return CaseFilter(
        status=tuple(args.status),
        exception_type=tuple(args.exception_type),
        provider=tuple(args.provider),
        owner=tuple(args.owner),
        severity=tuple(args.severity),
        assignee=assignees,
        exception_status=tuple(args.exception_status),
        customer_vat=args.customer,
        text=args.text,
        overdue=args.overdue,
    )


def _cases_list(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.cases.store import CaseStore, today_in_italy

    _check_output(args)
    flt = _case_filter(args)
    today = today_in_italy()
    with CaseStore.open(settings) as store:
        rows = _case_values(store, store.iter_cases(flt, args.sort, not args.ascending), today)
        if args.format == "xlsx":
            count = exports.write_xlsx(args.out, CASE_COLUMNS, rows, sheet="Cases")
            print(f"{count} case(s) written to {args.out}", file=sys.stderr)
        elif args.format == "csv":
            with _open_out(args.out) as out:
                exports.write_csv(out, CASE_COLUMNS, rows)
        else:
            index = {c: i for i, c in enumerate(CASE_COLUMNS)}
            with _open_out(args.out) as out:
                count = _table(
                    out, CASE_TABLE, ([row[index[c]] for c, _ in CASE_TABLE] for row in rows)
                )
                if count == 0:
                    print("no case matches these filters", file=sys.stderr)
    return 0


def _case_values(store: Any, cases: Iterable[Any], today: date) -> Iterator[list[Any]]:
    """Each case as CASE_COLUMNS' values, its newest note fetched per page of cases."""
    page: list[Any] = []

    def flush() -> Iterator[list[Any]]:
        notes = store.latest_notes([c.exception_id for c in page])
        for c in page:
            note = notes.get(c.exception_id)
            yield [
                c.exception_id,
                c.status,
                c.assignee,
                c.due_date,
                "yes" if c.is_overdue(today) else "no",
                c.root_cause,
                c.exception_type,
                c.exception_status,
                c.severity,
                c.owner,
                c.provider,
                c.customer_vat,
                c.customer_name,
                c.order_id,
                c.order_line_id,
                c.invoice_number,
                c.invoice_line,
                c.period_month,
                c.detected_on,
                c.age_business_days,
                c.amount_eur,
                c.credited_eur,
                c.credit_expected_eur,
                c.credit_received_eur,
                c.evidence,
                note.text if note else None,
                c.source_file,
                c.source_row,
                c.opened_at,
                c.updated_at,
                c.closed_at,
                c.closed_by,
            ]

    for case in cases:
        page.append(case)
        if len(page) >= 500:
            yield from flush()
            page = []
    if page:
        yield from flush()


def _cases_show(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.cases.store import CaseStore

    with CaseStore.open(settings) as store:
        case = store.get(args.exception_id)
        if case is None:
            raise BackofficeError(
                f"no case {args.exception_id!r}; find its id with `backoffice cases list`"
            )
        history = store.history(case.exception_id)
        notes = store.notes(case.exception_id)
    out = sys.stdout
    overdue = " (overdue)" if case.is_overdue() else ""
    lines = [
        f"case {case.exception_id}",
        f"  status        {case.status}{overdue}, due {case.due_date}",
        f"  assignee      {case.assignee or 'nobody yet'}",
        f"  root cause    {case.root_cause or '-'}",
        f"  exception     {case.exception_type} ({case.exception_status}), {case.severity}, "
        f"owner {case.owner}",
        f"  provider      {case.provider}",
        f"  customer      {case.customer_vat or '-'} {case.customer_name or ''}".rstrip(),
        f"  order         {case.order_id or '-'} line {case.order_line_id or '-'}",
        f"  invoice       {case.invoice_number or '-'} line {case.invoice_line or '-'}"
        + (f", month {case.period_month}" if case.period_month else ""),
        f"  amount        {case.amount_eur} EUR, credited {case.credited_eur} EUR",
        f"  detected      {case.detected_on}, {case.age_business_days} business days old "
        f"as of {case.as_of}",
        f"  evidence      {case.evidence or '-'}",
        f"  proof         {case.source_file or '-'} row {case.source_row or '-'}",
    ]
    if case.is_billing:
        lines.append(
            f"  credit notes  expected {case.credit_expected_eur or '-'}, "
            f"received {case.credit_received_eur or '-'}"
        )
    if case.closed_at:
        lines.append(f"  closed        {case.closed_at:%Y-%m-%d %H:%M} UTC by {case.closed_by}")
    lines.append("history (oldest first):")
    for h in history:
        why = f"  ({h.reason})" if h.reason else ""
        lines.append(
            f"  {h.at:%Y-%m-%d %H:%M} {h.actor}: {h.field} "
            f"{h.old_value if h.old_value is not None else '-'} -> "
            f"{h.new_value if h.new_value is not None else '-'}{why}"
        )
    lines.append("notes:" if notes else "notes: none")
    for n in notes:
        lines.append(f"  {n.at:%Y-%m-%d %H:%M} {n.actor}: {n.text}")
    out.write("\n".join(lines) + "\n")
    return 0


def _actor(settings: Settings, args: argparse.Namespace) -> str:
    actor = args.actor or settings.cases_actor
    if not actor:
        raise BackofficeError(
            "say who makes the change: --as NAME (a person in config/cases.yml) "
            "or set BACKOFFICE_USER"
        )
    if actor == people.SYSTEM_ACTOR:
        raise BackofficeError(f"{actor!r} is the night's own name; use your own with --as")
    return actor


def _change_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "status": args.new_status,
        "assignee": args.new_assignee,
        "root_cause": args.root_cause,
        "note": args.note,
        "credit_expected_eur": args.credit_expected,
        "credit_received_eur": args.credit_received,
    }


def _cases_update(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.cases.store import CaseStore

    actor = _actor(settings, args)
    with CaseStore.open(settings) as store:
        changed = store.update(args.exception_ids, actor=actor, **_change_kwargs(args))
    print(f"{changed} case(s) changed by {actor}", file=sys.stderr)
    return 0


def _cases_bulk(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.cases.store import CaseFilter, CaseStore

    flt = _case_filter(args)
    if flt == CaseFilter() and not args.all:
        raise BackofficeError(
            "a bulk change needs at least one filter (e.g. --provider alfa --status new), "
            "or --all to change every case"
        )
    with CaseStore.open(settings) as store:
        if args.dry_run:
            page = store.query(flt, limit=1)
            print(f"{page.total_count} case(s) selected; nothing changed (--dry-run)")
            return 0
        actor = _actor(settings, args)
        changed = store.bulk_update(flt, actor=actor, **_change_kwargs(args))
    print(f"{changed} case(s) changed by {actor}", file=sys.stderr)
    return 0


# --- output --------------------------------------------------------------------------
def _check_output(args: argparse.Namespace) -> None:
    if args.format == "xlsx" and args.out is None:
        raise BackofficeError("--format xlsx needs --out FILE.xlsx (a spreadsheet is a file)")
    if args.out is not None and not args.out.parent.exists():
        raise BackofficeError(f"cannot write {args.out}: folder {args.out.parent} does not exist")


class _open_out:
    """stdout, or the --out file (created only when writing starts)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self.path is None:
            return sys.stdout
        self.handle = open(self.path, "w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def _table(out: TextIO, layout: Sequence[tuple[str, int]], rows: Iterable[Sequence[Any]]) -> int:
    """Fixed-width columns for a terminal; long text cut with an ellipsis."""

    def cell(value: Any, width: int) -> str:
        text = (
            "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
        )
        return text if len(text) <= width else text[: width - 1] + "…"

    header = (TABLE_LABELS.get(n, n).ljust(w) for n, w in _widths(layout))
    out.write("  ".join(header).rstrip() + "\n")
    count = 0
    for row in rows:
        parts = []
        for value, (name, width) in zip(row, _widths(layout), strict=True):
            text = cell(value, width)
            parts.append(
                text.rjust(width) if name.endswith(("_eur", "_days")) else text.ljust(width)
            )
        out.write("  ".join(parts).rstrip() + "\n")
        count += 1
    return count


def _widths(layout: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(name, max(width, len(TABLE_LABELS.get(name, name)))) for name, width in layout]
