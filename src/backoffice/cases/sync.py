"""The night's sync of cases with what it published: set-based, idempotent, history kept.

The published exceptions are loaded into a temporary table of the case store,
then a handful of INSERT ... SELECT and UPDATE ... FROM statements open new
cases, refresh the copied exception fields, close the cases whose exception
the night no longer finds (or finds credited) and reopen closed cases it finds
again, each change with its history row and reason. No query runs per case,
so 100,000 exceptions cost a few statements.

A rerun of the same night changes nothing; a night older than the last one
synced changes nothing either (a rerun of an old date must not reopen what a
later night closed).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection

from backoffice.cases.schema import (
    EXCEPTION_FIELDS,
    UtcDateTime,
    case_history,
    case_syncs,
    cases,
)
from backoffice.cases.store import SEVERITIES, SYSTEM_ACTOR, CaseStore

# The columns a sync reads, in this order; amounts in integer cents.
INCOMING_COLUMNS = ("exception_id", *EXCEPTION_FIELDS)
BATCH = 5_000

_incoming_metadata = MetaData()
incoming = Table(
    "case_sync_incoming",
    _incoming_metadata,
    Column("exception_id", String(64), primary_key=True),
    Column("exception_type", String(40)),
    Column("exception_status", String(20)),
    Column("provider", String(60)),
    Column("customer_vat", String(40)),
    Column("customer_name", Text),
    Column("order_id", String(80)),
    Column("order_line_id", String(80)),
    Column("invoice_number", String(80)),
    Column("invoice_line", Integer),
    Column("period_month", String(7)),
    Column("as_of", Date),
    Column("detected_on", Date),
    Column("age_business_days", Integer),
    Column("amount_eur", BigInteger),
    Column("credited_eur", BigInteger),
    Column("severity", String(10)),
    Column("owner", String(40)),
    Column("evidence", Text),
    Column("source_file", Text),
    Column("source_row", String(40)),
    prefixes=["TEMPORARY"],
)

REOPEN_STATUS = "in_progress"
NOT_AN_ERROR = "not_an_error"


@dataclass(frozen=True)
class SyncResult:
    as_of: date
    outcome: str  # applied | skipped_older_night
    exceptions: int
    opened: int
    closed: int
    reopened: int
    refreshed: int

    def to_dict(self) -> dict[str, Any]:
        result = asdict(self)
        result["as_of"] = self.as_of.isoformat()
        return result


def sync_exceptions(
    store: CaseStore,
    as_of: date,
    batches: Iterable[Sequence[Sequence[Any]]],
    *,
    now: datetime | None = None,
) -> SyncResult:
    """Bring the cases in line with the exceptions a night published (INCOMING_COLUMNS rows)."""
    now = now or datetime.now(UTC)
    with store.write_transaction() as conn:
        last = conn.execute(
            select(func.max(case_syncs.c.as_of)).where(case_syncs.c.outcome == "applied")
        ).scalar()
        if last is not None and as_of < last:
            _log(conn, as_of, now, "skipped_older_night", 0, 0, 0, 0)
            return SyncResult(as_of, "skipped_older_night", 0, 0, 0, 0, 0)
        incoming.create(conn)
        try:
            count = _load(conn, batches)
            reopened = _reopen(conn, store, as_of, now)
            closed = _close(conn, as_of, now)
            refreshed = _refresh(conn, as_of, now)
            opened = _open_new(conn, store, as_of, now)
            _log(conn, as_of, now, "applied", opened, closed, reopened, refreshed)
        finally:
            incoming.drop(conn)
    return SyncResult(as_of, "applied", count, opened, closed, reopened, refreshed)


def _load(conn: Connection, batches: Iterable[Sequence[Sequence[Any]]]) -> int:
    if conn.dialect.name == "postgresql":
        return _copy_into_postgres(conn, batches)
    # SQLite: the driver's executemany on plain tuples (dates as ISO text, as SQLAlchemy
    # stores them), without building a dict per row.
    placeholders = ", ".join("?" for _ in INCOMING_COLUMNS)
    statement = (
        f"insert into case_sync_incoming ({', '.join(INCOMING_COLUMNS)}) values ({placeholders})"
    )
    cursor = conn.connection.dbapi_connection.cursor()
    count = 0
    try:
        for batch in batches:
            cursor.executemany(statement, [tuple(map(_sqlite_value, row)) for row in batch])
            count += len(batch)
    finally:
        cursor.close()
    return count


def _sqlite_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _copy_into_postgres(conn: Connection, batches: Iterable[Sequence[Sequence[Any]]]) -> int:
    """COPY, not INSERT: 100,000 rows in a second or two instead of most of a minute."""
    cursor = conn.connection.dbapi_connection.cursor()
    count = 0
    try:
        for batch in batches:
            if not batch:
                continue
            text = "".join("\t".join(_copy_value(v) for v in row) + "\n" for row in batch)
            columns = ", ".join(INCOMING_COLUMNS)
            cursor.copy_expert(f"copy case_sync_incoming ({columns}) from stdin", io.StringIO(text))
            count += len(batch)
        cursor.execute("analyze case_sync_incoming")  # temp tables get no autovacuum stats
    finally:
        cursor.close()
    return count


def _copy_value(value: Any) -> str:
    """One field of COPY's text format: \\N for NULL, backslash escapes in text."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return str(value)


def _history_from(
    conn: Connection,
    source: Any,
    *,
    now: datetime,
    field: str,
    old: Any,
    new: Any,
    reason: Any,
) -> int:
    """INSERT INTO case_history SELECT ...: one row per case the `source` query selects."""
    query = source.with_only_columns(
        source.selected_columns.exception_id,
        literal(now, UtcDateTime()),
        literal(SYSTEM_ACTOR),
        literal(field),
        old,
        new,
        reason,
    )
    names = ["exception_id", "at", "actor", "field", "old_value", "new_value", "reason"]
    return conn.execute(insert(case_history).from_select(names, query)).rowcount


def _found(as_of: date, status: str, *condition: Any) -> Any:
    return exists().where(
        incoming.c.exception_id == cases.c.exception_id,
        incoming.c.exception_status.in_([status] if isinstance(status, str) else status),
        *condition,
    )


def _reopen(conn: Connection, store: CaseStore, as_of: date, now: datetime) -> int:
    """Closed cases whose exception is found (open) again, except people's `not_an_error`."""
    people_said_not_an_error = and_(
        cases.c.root_cause == NOT_AN_ERROR,
        func.coalesce(cases.c.closed_by, "") != SYSTEM_ACTOR,
    )
    which = and_(cases.c.status == "closed", ~people_said_not_an_error, _found(as_of, "open"))
    reason = case(
        (
            cases.c.closed_by == SYSTEM_ACTOR,
            literal(f"reopened: the night of {as_of} finds the exception again"),
        ),
        else_=literal(f"reopened: the night of {as_of} still finds the exception"),
    )
    base = select(cases.c.exception_id).where(which)
    _history_from(
        conn,
        base,
        now=now,
        field="status",
        old=cases.c.status,
        new=literal(REOPEN_STATUS),
        reason=reason,
    )
    due = _due_expression(store, as_of)
    _history_from(
        conn,
        base.where(cases.c.due_date != due),
        now=now,
        field="due_date",
        old=cast(cases.c.due_date, String),
        new=cast(due, String),
        reason=literal("due again from the reopening night"),
    )
    return conn.execute(
        update(cases)
        .where(which)
        .values(status=REOPEN_STATUS, closed_at=None, closed_by=None, due_date=due, updated_at=now)
    ).rowcount


def _close(conn: Connection, as_of: date, now: datetime) -> int:
    """Open cases whose exception the night finds resolved or credited."""
    which = and_(cases.c.status != "closed", _found(as_of, ("resolved", "credited")))
    night_status = (
        select(incoming.c.exception_status)
        .where(incoming.c.exception_id == cases.c.exception_id)
        .scalar_subquery()
    )
    reason = case(
        (
            night_status == "credited",
            literal(f"closed by the night of {as_of}: the exception is credited"),
        ),
        else_=literal(f"closed by the night of {as_of}: the exception is no longer found"),
    )
    base = select(cases.c.exception_id).where(which)
    _history_from(
        conn,
        base,
        now=now,
        field="status",
        old=cases.c.status,
        new=literal("closed"),
        reason=reason,
    )
    return conn.execute(
        update(cases)
        .where(which)
        .values(status="closed", closed_at=now, closed_by=SYSTEM_ACTOR, updated_at=now)
    ).rowcount


def _refresh(conn: Connection, as_of: date, now: datetime) -> int:
    """Copy the published fields into the cases; the exception's status change is history."""
    joined = incoming.c.exception_id == cases.c.exception_id
    status_moved = select(cases.c.exception_id).where(
        exists().where(joined, incoming.c.exception_status != cases.c.exception_status)
    )
    night_status = select(incoming.c.exception_status).where(joined).scalar_subquery()
    _history_from(
        conn,
        status_moved,
        now=now,
        field="exception_status",
        old=cases.c.exception_status,
        new=night_status,
        reason=literal(f"published by the night of {as_of}"),
    )
    differs = or_(*(cases.c[name].is_distinct_from(incoming.c[name]) for name in EXCEPTION_FIELDS))
    return conn.execute(
        update(cases)
        .where(joined, differs)
        .values({**{name: incoming.c[name] for name in EXCEPTION_FIELDS}, "synced_as_of": as_of})
    ).rowcount


def _open_new(conn: Connection, store: CaseStore, as_of: date, now: datetime) -> int:
    """A case for every exception not yet one: `new`, or closed at once if already settled."""
    fresh = ~exists().where(cases.c.exception_id == incoming.c.exception_id)
    status = case((incoming.c.exception_status == "open", "new"), else_="closed")
    reason = case(
        (
            incoming.c.exception_status == "open",
            literal(f"opened: found by the night of {as_of}"),
        ),
        else_=literal(f"opened closed: the night of {as_of} finds it already settled"),
    )
    conn.execute(
        insert(case_history).from_select(
            ["exception_id", "at", "actor", "field", "old_value", "new_value", "reason"],
            select(
                incoming.c.exception_id,
                literal(now, UtcDateTime()),
                literal(SYSTEM_ACTOR),
                literal("status"),
                literal(None, String),
                status,
                reason,
            ).where(fresh),
        )
    )
    is_closed = incoming.c.exception_status != "open"
    columns = {
        "exception_id": incoming.c.exception_id,
        "status": status,
        "due_date": _due_expression(store, as_of, incoming.c.severity),
        "opened_at": literal(now, UtcDateTime()),
        "updated_at": literal(now, UtcDateTime()),
        "closed_at": case((is_closed, literal(now, UtcDateTime())), else_=None),
        "closed_by": case((is_closed, literal(SYSTEM_ACTOR)), else_=None),
        **{name: incoming.c[name] for name in EXCEPTION_FIELDS},
        "synced_as_of": literal(as_of, Date()),
    }
    return conn.execute(
        insert(cases).from_select(list(columns), select(*columns.values()).where(fresh))
    ).rowcount


def _due_expression(store: CaseStore, start: date, severity: Any = None) -> Any:
    severity = cases.c.severity if severity is None else severity
    dues = {s: store.due_date(s, start) for s in SEVERITIES}
    return case(
        *((severity == s, literal(d, Date())) for s, d in dues.items() if s != "low"),
        else_=literal(dues["low"], Date()),
    )


def _log(
    conn: Connection,
    as_of: date,
    now: datetime,
    outcome: str,
    opened: int,
    closed: int,
    reopened: int,
    refreshed: int,
) -> None:
    conn.execute(
        insert(case_syncs).values(
            as_of=as_of,
            at=now,
            outcome=outcome,
            opened=opened,
            closed=closed,
            reopened=reopened,
            refreshed=refreshed,
        )
    )
