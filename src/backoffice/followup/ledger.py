"""Follow-up's own records, in the case store's database (`settings.cases_url`).

What was sent to whom, which claim packs were made and what they claimed, which
claims a credit note closed, and every escalation step. All append-only (the
database refuses an UPDATE or DELETE): "was this already sent?" and "when was
this claimed?" must have the same answer tomorrow as today.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Connection, Engine

from backoffice.cases.schema import Money, UtcDateTime
from backoffice.settings import Settings

metadata = MetaData()
_ID = BigInteger().with_variant(Integer, "sqlite")

# One row per (digest, case, reason) delivered: what makes "never twice" hold.
deliveries = Table(
    "followup_deliveries",
    metadata,
    Column("delivery_id", _ID, primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("recipient", String(120), nullable=False),
    Column("exception_id", String(64), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    UniqueConstraint("recipient", "exception_id", "reason", name="uq_followup_delivery"),
)

# One row per digest the night composed: written, sent, failed (and why), or empty.
digest_log = Table(
    "followup_digest_log",
    metadata,
    Column("log_id", _ID, primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("recipient", String(120), nullable=False),
    Column("addresses", Text),
    Column("items", Integer, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("at", UtcDateTime, nullable=False),
)
Index("ix_followup_digest_log", digest_log.c.as_of, digest_log.c.recipient)

# One row per night the digests ran: the case-history watermark the next night starts from.
digest_runs = Table(
    "followup_digest_runs",
    metadata,
    Column("run_id", _ID, primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("history_watermark", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

claim_packs = Table(
    "followup_claim_packs",
    metadata,
    Column("pack_id", String(80), primary_key=True),
    Column("provider", String(60), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("lines", Integer, nullable=False),
    Column("claimed_eur", Money, nullable=False),
    Column("xlsx_path", Text, nullable=False),
    Column("html_path", Text, nullable=False),
)

claim_lines = Table(
    "followup_claim_lines",
    metadata,
    Column("pack_id", String(80), primary_key=True),
    Column("exception_id", String(64), primary_key=True),
    Column("invoice_number", String(80)),
    Column("invoice_line", Integer),
    Column("amount_eur", Money, nullable=False),
    Column("credited_eur", Money, nullable=False),
    Column("claimed_eur", Money, nullable=False),
)
Index("ix_followup_claim_lines_case", claim_lines.c.exception_id)

# A claim line closed by a credit note (the exception credited in full), once per pack line.
claim_closures = Table(
    "followup_claim_closures",
    metadata,
    Column("pack_id", String(80), primary_key=True),
    Column("exception_id", String(64), primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("credited_eur", Money, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

escalations = Table(
    "followup_escalations",
    metadata,
    Column("escalation_id", _ID, primary_key=True),
    Column("exception_id", String(64), nullable=False),
    Column("level", Integer, nullable=False),  # 1: the assignee's lead, 2: the manager
    Column("to_person", String(100), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("severity", String(10), nullable=False),
    Column("days_past_due", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    UniqueConstraint("exception_id", "level", name="uq_followup_escalation_level"),
    UniqueConstraint("exception_id", "on_date", name="uq_followup_escalation_day"),
)

TABLES = [t.name for t in metadata.sorted_tables]


def _sqlite_triggers() -> list[str]:
    return [
        f"""create trigger if not exists {table}_no_{verb} before {verb} on {table}
            begin select raise(abort, '{table} is append-only: rows are never changed or deleted');
            end"""
        for table in TABLES
        for verb in ("update", "delete")
    ]


def _pg_triggers() -> list[str]:
    # No percent sign in these statements: the driver would read it as a placeholder.
    return [
        """create or replace function followup_refuse_change() returns trigger
           language plpgsql as $$
           begin
             raise exception using message = tg_table_name
               || ' is append-only: rows are never changed or deleted (' || tg_op || ')';
           end $$""",
        *(
            f"""create or replace trigger {table}_append_only before update or delete or truncate
                on {table} for each statement execute function followup_refuse_change()"""
            for table in TABLES
        ),
    ]


@cache
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    with engine.begin() as conn:
        create_schema(conn)
    return engine


def _sqlite_pragmas(dbapi_con, _record) -> None:
    """As the case store's own connections: WAL, wait for a writer, no fsync per commit."""
    cursor = dbapi_con.cursor()
    cursor.execute("pragma busy_timeout = 60000")
    cursor.execute("pragma journal_mode = wal")
    cursor.execute("pragma synchronous = normal")
    cursor.close()


def insert_ignoring_duplicates(conn: Connection, table: Table):
    """INSERT that skips rows a unique key already holds (another process was first)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing()


def engine(settings: Settings) -> Engine:
    """The engine on the case store's database, with follow-up's tables in place."""
    return _engine(settings.cases_url)


def create_schema(conn: Connection) -> None:
    """Create what is missing; never drops or changes a row."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("select pg_advisory_xact_lock(6060611)"))
    metadata.create_all(conn, checkfirst=True)
    statements = _pg_triggers() if conn.dialect.name == "postgresql" else _sqlite_triggers()
    for statement in statements:
        conn.exec_driver_sql(statement)


def now() -> datetime:
    return datetime.now(UTC)
