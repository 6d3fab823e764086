"""The case store's tables, on SQLAlchemy Core, the same on SQLite and PostgreSQL.

Cases live apart from the warehouse a night rebuilds: a full refresh, a
republish or a rerun never touches this database. People's work is never
lost: history and notes are append-only and a case is never deleted, which
triggers enforce in the database itself (a direct UPDATE or DELETE is refused,
whatever the client).

Money is stored as integer cents (SQLite has no exact decimal type) and comes
back as `Decimal` with two places; instants are stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Connection

CENT = Decimal("0.01")


class Money(TypeDecorator):
    """EUR as integer cents in the database, `Decimal('12.34')` in Python; never a float."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be a Decimal or a string, never a float")
        return int((Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class UtcDateTime(TypeDecorator):
    """An instant, stored in UTC; always handed back time-zone aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("instants must be time-zone aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - defensive for raw sqlite reads
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

# The published exception's fields, copied into each case by the night's sync so
# that the work queue is one indexed query on this database.
EXCEPTION_FIELDS = (
    "exception_type",
    "exception_status",
    "provider",
    "customer_vat",
    "customer_name",
    "order_id",
    "order_line_id",
    "invoice_number",
    "invoice_line",
    "period_month",
    "as_of",
    "detected_on",
    "age_business_days",
    "amount_eur",
    "credited_eur",
    "severity",
    "owner",
    "evidence",
    "source_file",
    "source_row",
)
MONEY_FIELDS = ("amount_eur", "credited_eur", "credit_expected_eur", "credit_received_eur")


def _exception_columns() -> list[Column]:
    return [
        Column("exception_type", String(40), nullable=False),
        Column("exception_status", String(20), nullable=False),
        Column("provider", String(60), nullable=False),
        Column("customer_vat", String(40)),
        Column("customer_name", Text),
        Column("order_id", String(80)),
        Column("order_line_id", String(80)),
        Column("invoice_number", String(80)),
        Column("invoice_line", Integer),
        Column("period_month", String(7)),
        Column("as_of", Date, nullable=False),
        Column("detected_on", Date, nullable=False),
        Column("age_business_days", Integer, nullable=False),
        Column("amount_eur", Money, nullable=False),
        Column("credited_eur", Money, nullable=False),
        Column("severity", String(10), nullable=False),
        Column("owner", String(40), nullable=False),
        Column("evidence", Text),
        Column("source_file", Text),
        Column("source_row", String(40)),
    ]


cases = Table(
    "cases",
    metadata,
    Column("exception_id", String(64), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("assignee", String(100)),
    Column("due_date", Date, nullable=False),
    Column("root_cause", String(60)),
    Column("credit_expected_eur", Money),
    Column("credit_received_eur", Money),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("closed_by", String(100)),
    *_exception_columns(),
    Column("synced_as_of", Date, nullable=False),
)
# Keyset paging sorts by (key, exception_id): one index per sort key the queue offers.
for _key in (
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
):
    Index(f"ix_cases_{_key}", cases.c[_key], cases.c.exception_id)
Index("ix_cases_owner_status", cases.c.owner, cases.c.status)

case_history = Table(
    "case_history",
    metadata,
    Column("history_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("exception_id", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("field", String(60), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("reason", Text),
)
Index("ix_case_history_case", case_history.c.exception_id, case_history.c.history_id)

case_notes = Table(
    "case_notes",
    metadata,
    Column("note_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("exception_id", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_case_notes_case", case_notes.c.exception_id, case_notes.c.note_id)

# One row per night the sync applied (or skipped): the store's own trail of the nights.
case_syncs = Table(
    "case_syncs",
    metadata,
    Column("sync_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("opened", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("reopened", Integer, nullable=False),
    Column("refreshed", Integer, nullable=False),
)

APPEND_ONLY = ("case_history", "case_notes", "case_syncs")

_SQLITE_TRIGGERS = [
    f"""create trigger if not exists {table}_no_{verb} before {verb} on {table}
        begin select raise(abort, '{table} is append-only: rows are never changed or deleted');
        end"""
    for table in APPEND_ONLY
    for verb in ("update", "delete")
] + [
    """create trigger if not exists cases_no_delete before delete on cases
       begin select raise(abort, 'cases are never deleted: close them instead'); end"""
]

_PG_TRIGGERS = [
    """create or replace function backoffice_refuse_change() returns trigger
       language plpgsql as $$
       begin
         raise exception '% is append-only: rows are never changed or deleted (%)',
           tg_table_name, tg_op;
       end $$""",
    *(
        f"""create or replace trigger {table}_append_only before update or delete on {table}
            for each row execute function backoffice_refuse_change()"""
        for table in APPEND_ONLY
    ),
    *(
        f"""create or replace trigger {table}_no_truncate before truncate on {table}
            for each statement execute function backoffice_refuse_change()"""
        for table in (*APPEND_ONLY, "cases")
    ),
    """create or replace trigger cases_no_delete before delete on cases
       for each row execute function backoffice_refuse_change()""",
]


def create_schema(conn: Connection) -> None:
    """Create what is missing (tables, indexes, append-only triggers); never drops anything."""
    if conn.dialect.name == "postgresql":
        # Two processes opening a new store at once must not race on CREATE.
        conn.execute(text("select pg_advisory_xact_lock(6060606)"))
    metadata.create_all(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        for statement in _PG_TRIGGERS:  # psycopg2 formats %: plpgsql's own % are doubled
            conn.exec_driver_sql(statement.replace("%", "%%"))
    else:
        for statement in _SQLITE_TRIGGERS:
            conn.exec_driver_sql(statement)
