"""What the report shows: the night's summary, and the rest read from the published warehouse.

What the summary already holds (what customers are owed, what providers under-billed, files
and rows, unmapped states, open exceptions, feed health) is taken from it, never queried
again; every other figure comes from one of these queries, so the test can ask the warehouse
the same questions and compare. The marts of balances and KPIs are read by the column names
their models give them; a mart that is missing (or lacks a column the page cannot do without)
becomes a `Missing` with the reason, and the page says "not available" instead of failing
the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from backoffice.feeds.health import FeedHealth
from backoffice.published import SEVERITIES
from backoffice.run_records import CHECKS_JSON
from backoffice.warehouse.landed import dicts, raw_records

if TYPE_CHECKING:
    from backoffice.summary import RunSummary

CENT = Decimal("0.01")
AGING_BUCKETS = ("0\u20132", "3\u20137", "8\u201315", "16\u201330", "over 30")
NEW_EXCEPTIONS_SHOWN = 500


def money(value: Any) -> Decimal:
    """A euro amount as a Decimal to the cent (half away from zero), whatever DuckDB returned."""
    if value is None:
        return Decimal("0.00")
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Missing:
    """A section the warehouse cannot fill: which mart, and why."""

    table: str
    reason: str


@dataclass(frozen=True)
class Header:
    as_of: date
    publication: str
    checks: dict[str, Any] | None
    new_today: int
    open_count: int
    open_high: int
    owed_eur: Decimal
    under_billed_eur: Decimal
    files_loaded: int
    files_redelivered: int
    files_unreadable: int
    rows_loaded: int
    rows_quarantined: int
    unmapped_states: int


@dataclass(frozen=True)
class NewException:
    exception_id: str
    severity: str
    exception_type: str
    status: str
    provider: str
    customer_vat: str
    customer_name: str | None
    order_id: str | None
    order_line_id: str | None
    invoice_number: str | None
    invoice_line: str | None
    period_month: str | None
    age_business_days: int | None
    amount_eur: Decimal
    credited_eur: Decimal
    owner: str
    evidence: str
    source_file: str
    source_row: str


@dataclass(frozen=True)
class TypeRow:
    exception_type: str
    new_today: int
    open: int
    open_by_severity: dict[str, int]
    open_eur: Decimal  # net of credits, as the summary counts it
    credited: int
    resolved: int


@dataclass(frozen=True)
class CustomerRow:
    customer_vat: str
    customer_name: str | None
    providers: str
    owed_eur: Decimal
    under_billed_eur: Decimal | None
    open_exceptions: int | None


@dataclass(frozen=True)
class Balances:
    customers: list[CustomerRow]  # the top ones, most owed first
    customers_total: int
    customers_owed: int
    owed_eur: Decimal
    under_billed_eur: Decimal | None


@dataclass(frozen=True)
class KpiRow:
    provider: str
    month: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kpis:
    rows: list[KpiRow]
    fields: list[str]  # the KPI_COLUMNS the mart has, in display order


@dataclass(frozen=True)
class NotLoaded:
    """Rows the nights could not use, listed (file, row, reason, raw record), newest first."""

    quarantined: list[dict[str, Any]]
    quarantined_total: int
    unmapped: list[dict[str, Any]]
    unmapped_total: int


NOT_LOADED_LIMIT = 200


@dataclass(frozen=True)
class ReportData:
    header: Header
    new_exceptions: list[NewException]
    new_exceptions_total: int
    by_type: list[TypeRow]
    balances: Balances | Missing
    kpis: Kpis | Missing
    not_loaded: NotLoaded | None = None
    feeds: list[FeedHealth] = field(default_factory=list)  # marts.feed_health


# The columns of marts.provider_kpis_monthly the page shows (its YAML documents each one).
KPI_COLUMNS = (
    "activated_lines",
    "cycle_time_median_business_days",
    "cycle_time_p90_business_days",
    "lines_in_flight",
    "lines_stuck",
    "share_lines_stuck",
    "invoice_lines",
    "first_time_right_invoice_lines",
    "share_first_time_right",
    "credit_note_lines",
    "credits_issued_eur",
    "open_exceptions",
    "open_aged_0_2",
    "open_aged_3_7",
    "open_aged_8_15",
    "open_aged_16_30",
    "open_aged_over_30",
    "money_at_stake_eur",
)
AGING_COLUMNS = KPI_COLUMNS[12:17]


def collect(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    summary: RunSummary,
    run_dir: Path | None = None,
) -> ReportData:
    """Everything the page needs, as of `as_of`: the night's summary and the publication."""
    new, new_total = _new_exceptions(con, as_of)
    balances = _balances(con)
    # Names only for the customers the page shows (tens of thousands are not).
    shown = [x.customer_vat for x in new]
    if isinstance(balances, Balances):
        shown += [c.customer_vat for c in balances.customers if not c.customer_name]
    names = _customer_names(con, shown)
    new = [replace(x, customer_name=names.get(x.customer_vat)) for x in new]
    if isinstance(balances, Balances):
        balances = replace(
            balances,
            customers=[
                replace(c, customer_name=c.customer_name or names.get(c.customer_vat))
                for c in balances.customers
            ],
        )
    return ReportData(
        header=_header(con, as_of, summary, run_dir),
        new_exceptions=new,
        new_exceptions_total=new_total,
        by_type=_by_type(con, as_of),
        balances=balances,
        kpis=_kpis(con),
        not_loaded=_not_loaded(con),
        feeds=[FeedHealth.from_dict(feed) for feed in summary.feed_health],
    )


def _not_loaded(con) -> NotLoaded:
    """The quarantined rows and unknown provider states themselves, not only their counts."""
    quarantined, q_total, unmapped, u_total = [], 0, [], 0
    if table_columns(con, "marts", "quarantined_rows"):
        q_total = con.execute("select count(*) from marts.quarantined_rows").fetchone()[0]
        quarantined = dicts(
            con.execute(
                "select source_file, source_row, reason, raw_record from marts.quarantined_rows "
                "order by delivery_date desc, source_file, source_row, reason limit ?",
                [NOT_LOADED_LIMIT],
            )
        )
    if table_columns(con, "marts", "unmapped_provider_states"):
        u_total = con.execute("select count(*) from marts.unmapped_provider_states").fetchone()[0]
        unmapped = dicts(
            con.execute(
                "select provider, provider_state, order_line_id, source_file, source_row, reason "
                "from marts.unmapped_provider_states "
                "order by state_at desc, source_file, source_row, order_line_id limit ?",
                [NOT_LOADED_LIMIT],
            )
        )
        landed = raw_records(con, [(row["source_file"], row["source_row"]) for row in unmapped])
        for row in unmapped:
            row["raw_record"] = landed.get((row["source_file"], str(row["source_row"])), "")
    return NotLoaded(quarantined, int(q_total), unmapped, int(u_total))


def table_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    """The table's columns in order; empty when the table does not exist."""
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def _header(con, as_of: date, summary: RunSummary, run_dir: Path | None) -> Header:
    """The top of the page: the summary's figures, and the two it does not count."""
    new_today, open_high = con.execute(
        """
        select
            count(*) filter (where detected_on = ?),
            count(*) filter (where status = 'open' and severity = 'high')
        from marts.exceptions
        """,
        [as_of],
    ).fetchone()
    published = con.execute("select path from duckdb_databases() where not internal").fetchone()
    return Header(
        as_of=as_of,
        publication=Path(published[0]).name if published and published[0] else "",
        checks=_checks(run_dir),
        new_today=int(new_today),
        open_count=sum(t.open for t in summary.by_type),
        open_high=int(open_high),
        owed_eur=money(summary.owed_to_customers_eur),
        under_billed_eur=money(summary.under_billed_eur),
        files_loaded=summary.files_loaded,
        files_redelivered=summary.files_redelivered,
        files_unreadable=summary.files_unreadable,
        rows_loaded=summary.rows_loaded,
        rows_quarantined=summary.rows_quarantined,
        unmapped_states=summary.unmapped_states,
    )


def _checks(run_dir: Path | None) -> dict[str, Any] | None:
    """The night's data-check record (checks.json), when the run wrote one."""
    path = run_dir / CHECKS_JSON if run_dir else None
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _customer_names(con, vats: list[str]) -> dict[str, str]:
    """Customer names of these VAT numbers, from the CRM's order lines (exceptions carry only VAT).

    The first table that names any customer is asked, as for every customer.
    """
    for table in ("customer_balances", "order_lines"):
        if {"customer_vat", "customer_name"} <= set(table_columns(con, "marts", table)):
            named = f"from marts.{table} where customer_name is not null"
            if con.execute(f"select count(*) from (select 1 {named} limit 1)").fetchone()[0]:
                return dict(
                    con.execute(
                        f"select customer_vat, min(customer_name) {named} "
                        "and customer_vat in (select unnest(?::varchar[])) group by customer_vat",
                        [sorted({v for v in vats if v is not None})],
                    ).fetchall()
                )
    return {}


def _new_exceptions(con, as_of: date) -> tuple[list[NewException], int]:
    """The night's new exceptions, the most serious first (names are added by `collect`)."""
    total = con.execute(
        "select count(*) from marts.exceptions where detected_on = ?", [as_of]
    ).fetchone()[0]
    rows = con.execute(
        f"""
        select
            exception_id, severity, exception_type, status, provider, customer_vat,
            order_id, order_line_id, invoice_number, cast(invoice_line as varchar),
            period_month, age_business_days, amount_eur, credited_eur, owner, evidence,
            source_file, cast(source_row as varchar)
        from marts.exceptions
        where detected_on = ?
        order by
            case severity when 'high' then 0 when 'medium' then 1 else 2 end,
            abs(amount_eur) desc, exception_type, provider, exception_id
        limit {NEW_EXCEPTIONS_SHOWN}
        """,
        [as_of],
    ).fetchall()
    out = []
    for r in rows:
        out.append(
            NewException(
                exception_id=r[0],
                severity=r[1],
                exception_type=r[2],
                status=r[3],
                provider=r[4],
                customer_vat=r[5],
                customer_name=None,
                order_id=r[6],
                order_line_id=r[7],
                invoice_number=r[8],
                invoice_line=r[9],
                period_month=r[10],
                age_business_days=r[11],
                amount_eur=money(r[12]),
                credited_eur=money(r[13]),
                owner=r[14],
                evidence=r[15] or "",
                source_file=r[16] or "",
                source_row=r[17] or "",
            )
        )
    return out, int(total)


def _by_type(con, as_of: date) -> list[TypeRow]:
    rows = con.execute(
        """
        select
            exception_type,
            count(*) filter (where detected_on = ?),
            count(*) filter (where status = 'open'),
            count(*) filter (where status = 'open' and severity = 'high'),
            count(*) filter (where status = 'open' and severity = 'medium'),
            count(*) filter (where status = 'open' and severity = 'low'),
            coalesce(sum(amount_eur - credited_eur) filter (where status = 'open'), 0),
            count(*) filter (where status = 'credited'),
            count(*) filter (where status = 'resolved')
        from marts.exceptions
        group by exception_type
        order by exception_type
        """,
        [as_of],
    ).fetchall()
    return [
        TypeRow(
            exception_type=r[0],
            new_today=int(r[1]),
            open=int(r[2]),
            open_by_severity=dict(zip(SEVERITIES, (int(r[3]), int(r[4]), int(r[5])), strict=True)),
            open_eur=money(r[6]),
            credited=int(r[7]),
            resolved=int(r[8]),
        )
        for r in rows
    ]


BALANCES_TABLE = "marts.customer_balances"
KPIS_TABLE = "marts.provider_kpis_monthly"
TOP_CUSTOMERS = 20


def _balances(con) -> Balances | Missing:
    columns = table_columns(con, "marts", "customer_balances")
    if not columns:
        return Missing(BALANCES_TABLE, "the warehouse has no customer balances yet")
    if not {"customer_vat", "owed_eur"} <= set(columns):
        return Missing(BALANCES_TABLE, "it has no customer_vat or owed_eur column")
    under, count, provider, name = (
        c if c in columns else None
        for c in ("under_billed_eur", "open_exceptions", "provider", "customer_name")
    )
    # Per customer, across its providers, to the cent; a column the mart lacks reads as null.
    # The totals are counted in SQL and only the top customers fetched: the page shows 20 of
    # tens of thousands.
    per_customer = f"""
        with per_customer as (
            select
                customer_vat,
                {"min(customer_name)" if name else "null"} as customer_name,
                {"string_agg(distinct provider, ', ' order by provider)" if provider else "''"}
                    as providers,
                round(coalesce(sum(owed_eur), 0), 2) as owed_eur,
                {"round(coalesce(sum(under_billed_eur), 0), 2)" if under else "null"}
                    as under_billed_eur,
                {"sum(open_exceptions)" if count else "null"} as open_exceptions
            from {BALANCES_TABLE}
            group by customer_vat
        )
    """
    total, owed_count, owed, under_billed = con.execute(
        per_customer + "select count(*), count(*) filter (where owed_eur > 0), "
        "coalesce(sum(owed_eur), 0), coalesce(sum(under_billed_eur), 0) from per_customer"
    ).fetchall()[0]
    rows = con.execute(
        per_customer + "select * from per_customer "
        "where owed_eur <> 0 or coalesce(under_billed_eur, 0) <> 0 "
        "order by owed_eur desc, under_billed_eur asc nulls last, customer_vat limit ?",
        [TOP_CUSTOMERS],
    ).fetchall()
    return Balances(
        customers=[
            CustomerRow(
                customer_vat=r[0],
                customer_name=r[1],
                providers=r[2] or "",
                owed_eur=money(r[3]),
                under_billed_eur=money(r[4]) if under else None,
                open_exceptions=int(r[5]) if count and r[5] is not None else None,
            )
            for r in rows
        ],
        customers_total=int(total),
        customers_owed=int(owed_count),
        owed_eur=money(owed),
        under_billed_eur=money(under_billed) if under else None,
    )


def _kpis(con) -> Kpis | Missing:
    columns = table_columns(con, "marts", "provider_kpis_monthly")
    if not columns:
        return Missing(KPIS_TABLE, "the warehouse has no provider KPIs yet")
    if not {"provider", "month"} <= set(columns):
        return Missing(KPIS_TABLE, "it has no provider or month column")
    present = [c for c in KPI_COLUMNS if c in columns]
    select = "".join(f", {c}" for c in present)
    rows = con.execute(
        f"select provider, month{select} from {KPIS_TABLE} order by provider, month"
    ).fetchall()
    return Kpis(
        rows=[
            KpiRow(
                provider=str(r[0]),
                month=_month(r[1]),
                values=dict(zip(present, r[2:], strict=True)),
            )
            for r in rows
        ],
        fields=present,
    )


def _month(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    return str(value)[:7]
