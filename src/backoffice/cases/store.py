"""The case store: every exception is a case people work, and what they did is kept.

SQLite in WAL mode in the data directory by default (no server; readers never
wait, a writer waits its turn instead of failing), PostgreSQL by one setting
(`BACKOFFICE_CASES_URL`). Either way it lives apart from the warehouse, so a
night that rebuilds, republishes or reruns never loses or changes a case, and
people's changes never wait for the night's DuckDB writer.

Every change of a case writes, in the same transaction, one history row per
field (who, when, old, new); notes are appended; nothing is deleted. Every
write checks that the actor may change cases (config/cases.yml).

Case statuses and the moves people may make:

    new              -> in_progress, waiting_provider, waiting_customer, closed
    in_progress      -> waiting_provider, waiting_customer, closed
    waiting_provider -> in_progress, waiting_customer, closed
    waiting_customer -> in_progress, waiting_provider, closed
    closed           -> in_progress   (reopen; the night reopens too)

Closing needs a root cause. The night (actor `system`) opens cases as `new`,
closes the ones it no longer finds or finds credited, and reopens closed ones
it finds again, except those people closed as `not_an_error`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    and_,
    bindparam,
    case,
    create_engine,
    event,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection, Engine

from backoffice import business_calendar
from backoffice.cases import people
from backoffice.cases.schema import (
    CENT,
    Money,
    case_history,
    case_notes,
    cases,
    create_schema,
)
from backoffice.errors import BackofficeError
from backoffice.settings import Settings

ROME = ZoneInfo("Europe/Rome")
STATUSES = ("new", "in_progress", "waiting_provider", "waiting_customer", "closed")
OPEN_STATUSES = STATUSES[:-1]
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"in_progress", "waiting_provider", "waiting_customer", "closed"}),
    "in_progress": frozenset({"waiting_provider", "waiting_customer", "closed"}),
    "waiting_provider": frozenset({"in_progress", "waiting_customer", "closed"}),
    "waiting_customer": frozenset({"in_progress", "waiting_provider", "closed"}),
    "closed": frozenset({"in_progress"}),
}
SEVERITIES = ("high", "medium", "low")
BILLING_OWNER = "provider_billing"
SYSTEM_ACTOR = people.SYSTEM_ACTOR
SQLITE_BUSY_TIMEOUT_MS = 60_000

_SEVERITY_RANK = case((cases.c.severity == "high", 3), (cases.c.severity == "medium", 2), else_=1)
_STATUS_RANK = case(*((cases.c.status == s, i) for i, s in enumerate(STATUSES)), else_=9)
# sort key -> (SQL expression, how a cursor value is read back)
SORT_KEYS: dict[str, tuple[Any, Any]] = {
    "detected_on": (cases.c.detected_on, date.fromisoformat),
    "amount_eur": (cases.c.amount_eur, Decimal),
    "age_business_days": (cases.c.age_business_days, int),
    "due_date": (cases.c.due_date, date.fromisoformat),
    "severity": (_SEVERITY_RANK, int),
    "exception_type": (cases.c.exception_type, str),
    "provider": (cases.c.provider, str),
    "customer_vat": (func.coalesce(cases.c.customer_vat, ""), str),
    "status": (_STATUS_RANK, int),
    "assignee": (func.coalesce(cases.c.assignee, ""), str),
}


class CaseError(BackofficeError):
    """A case change that cannot be made as asked (unknown case, move not allowed, ...)."""


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a listing or a bulk action selects; empty tuples select everything.

    `assignee` may hold "" for cases nobody has taken. `overdue` selects open cases
    whose due date is before `today` (default: today in Italy). Ages are the
    published `age_business_days`.
    """

    status: tuple[str, ...] = ()
    exception_type: tuple[str, ...] = ()
    provider: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()
    assignee: tuple[str, ...] = ()
    exception_status: tuple[str, ...] = ()
    customer_vat: str | None = None
    text: str | None = None
    overdue: bool = False
    min_age_days: int | None = None
    max_age_days: int | None = None
    today: date | None = None
    exception_ids: tuple[str, ...] = ()

    def clauses(self, dialect: str = "sqlite") -> list[Any]:
        where: list[Any] = []
        for name, column in (
            ("status", cases.c.status),
            ("exception_type", cases.c.exception_type),
            ("provider", cases.c.provider),
            ("owner", cases.c.owner),
            ("severity", cases.c.severity),
            ("exception_status", cases.c.exception_status),
            ("exception_ids", cases.c.exception_id),
        ):
            values = getattr(self, name)
            if values:
                where.append(column.in_(list(values)))
        if self.assignee:
            named = [a for a in self.assignee if a]
            either = [cases.c.assignee.in_(named)] if named else []
            if "" in self.assignee:
                either.append(cases.c.assignee.is_(None))
            where.append(or_(*either))
        if self.customer_vat:
            where.append(cases.c.customer_vat == self.customer_vat)
        if self.text:
            escaped = self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            where.append(
                or_(
                    *(
                        # SQLite's LIKE ignores ASCII case already; Postgres needs ILIKE.
                        column.ilike(pattern, escape="\\")
                        if dialect == "postgresql"
                        else column.like(pattern, escape="\\")
                        for column in (
                            cases.c.exception_id,
                            cases.c.order_id,
                            cases.c.order_line_id,
                            cases.c.invoice_number,
                            cases.c.customer_vat,
                            cases.c.customer_name,
                            cases.c.evidence,
                        )
                    )
                )
            )
        if self.overdue:
            where.append(cases.c.status != "closed")
            where.append(cases.c.due_date < (self.today or today_in_italy()))
        if self.min_age_days is not None:
            where.append(cases.c.age_business_days >= self.min_age_days)
        if self.max_age_days is not None:
            where.append(cases.c.age_business_days <= self.max_age_days)
        return where


@dataclass(frozen=True)
class CaseRow:
    """A case and a copy of its published exception (refreshed by each night's sync)."""

    exception_id: str
    status: str
    assignee: str | None
    due_date: date
    root_cause: str | None
    credit_expected_eur: Decimal | None
    credit_received_eur: Decimal | None
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    closed_by: str | None
    exception_type: str
    exception_status: str
    provider: str
    customer_vat: str | None
    customer_name: str | None
    order_id: str | None
    order_line_id: str | None
    invoice_number: str | None
    invoice_line: int | None
    period_month: str | None
    as_of: date
    detected_on: date
    age_business_days: int
    amount_eur: Decimal
    credited_eur: Decimal
    severity: str
    owner: str
    evidence: str | None
    source_file: str | None
    source_row: str | None
    synced_as_of: date

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status != "closed" and self.due_date < (today or today_in_italy())

    @property
    def is_billing(self) -> bool:
        return self.owner == BILLING_OWNER


CASE_COLUMNS = tuple(f.name for f in fields(CaseRow))


@dataclass(frozen=True)
class HistoryRow:
    exception_id: str
    at: datetime
    actor: str
    field: str
    old_value: str | None
    new_value: str | None
    reason: str | None = None
    history_id: int | None = None


@dataclass(frozen=True)
class Note:
    exception_id: str
    at: datetime
    actor: str
    text: str
    note_id: int | None = None


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total_count: int
    total_amount_eur: Decimal
    total_owed_eur: Decimal  # customer_balances' owed_eur: open, positive, net of credits
    next_cursor: str | None


@dataclass(frozen=True)
class Workload:
    """One assignee's load ("" = nobody yet): open and overdue cases, euro at stake and won."""

    assignee: str
    open_cases: int
    overdue_cases: int
    at_stake_eur: Decimal
    recovered_this_month_eur: Decimal


@dataclass
class _Changes:
    status: str | None = None
    assignee: str | None = None
    root_cause: str | None = None
    note: str | None = None
    credit_expected_eur: Decimal | None = None
    credit_received_eur: Decimal | None = None
    unassign: bool = field(default=False)


def today_in_italy() -> date:
    return datetime.now(ROME).date()


def _now() -> datetime:
    return datetime.now(UTC)


def _text(value: Any) -> str | None:
    """A value as history shows it: dates ISO, money with two decimals."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT)}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _sqlite_engines(url: str) -> tuple[Engine, Engine]:
    """A reader and a writer engine on one WAL file; the writer begins IMMEDIATE.

    BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy
    timeout instead of one failing with "database is locked" when it upgrades.
    """

    def connect(dbapi_con, _record) -> None:
        dbapi_con.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_con.cursor()
        cursor.execute(f"pragma busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("pragma journal_mode = wal")
        cursor.execute("pragma synchronous = normal")
        cursor.close()

    engines = []
    for begin in ("begin", "begin immediate"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", connect)
        event.listen(engine, "begin", lambda conn, b=begin: conn.exec_driver_sql(b))
        engines.append(engine)
    return engines[0], engines[1]


class CaseStore:
    """Open with `CaseStore.open(settings)`; close with `.close()` (or use `with`)."""

    def __init__(
        self,
        reader: Engine,
        writer: Engine,
        config: people.CaseConfig,
        calendar: business_calendar.BusinessCalendar,
    ) -> None:
        self._reader = reader
        self._writer = writer
        self.config = config
        self.calendar = calendar

    @classmethod
    def open(cls, settings: Settings) -> CaseStore:
        """Connect to the store the settings name, creating its schema if missing."""
        url = settings.cases_url
        if url.startswith("sqlite"):
            database = url.split("///", 1)[1] if "///" in url else ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            reader, writer = _sqlite_engines(url)
        else:
            writer = create_engine(url, pool_pre_ping=True)
            reader = writer
        try:
            if not _schema_complete(reader):  # readers never queue behind the night's sync
                with writer.begin() as conn:
                    create_schema(conn)
        except Exception as failure:
            writer.dispose()
            reader.dispose()
            raise BackofficeError(
                f"cannot open the case store at {_safe_url(url)}: {failure.__class__.__name__}: "
                f"{str(failure).splitlines()[0] if str(failure) else ''} "
                "(check BACKOFFICE_CASES_URL and that the database is reachable)"
            ) from failure
        return cls(
            reader, writer, people.load(settings), business_calendar.load(settings.dbt_project_dir)
        )

    def close(self) -> None:
        self._writer.dispose()
        if self._reader is not self._writer:
            self._reader.dispose()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self._writer.dialect.name

    def read_transaction(self):
        """A read transaction (the night's import reads the case state in one query)."""
        return self._reader.begin()

    def write_transaction(self):
        """A write transaction (the night's sync uses it; areas must go through the API)."""
        return self._writer.begin()

    # --- reading -------------------------------------------------------------------
    def get(self, exception_id: str) -> CaseRow | None:
        with self._reader.begin() as conn:
            row = conn.execute(select(cases).where(cases.c.exception_id == exception_id)).first()
        return _case(row) if row else None

    def history(self, exception_id: str) -> list[HistoryRow]:
        query = (
            select(case_history)
            .where(case_history.c.exception_id == exception_id)
            .order_by(case_history.c.history_id)
        )
        with self._reader.begin() as conn:
            return [HistoryRow(**row._mapping) for row in conn.execute(query)]

    def notes(self, exception_id: str) -> list[Note]:
        query = (
            select(case_notes)
            .where(case_notes.c.exception_id == exception_id)
            .order_by(case_notes.c.note_id)
        )
        with self._reader.begin() as conn:
            return [Note(**row._mapping) for row in conn.execute(query)]

    def latest_notes(self, exception_ids: Sequence[str]) -> dict[str, Note]:
        """The newest note of each named case (one query; for listings and exports)."""
        if not exception_ids:
            return {}
        newest = (
            select(func.max(case_notes.c.note_id))
            .where(case_notes.c.exception_id.in_(list(exception_ids)))
            .group_by(case_notes.c.exception_id)
        )
        query = select(case_notes).where(case_notes.c.note_id.in_(newest))
        with self._reader.begin() as conn:
            return {row.exception_id: Note(**row._mapping) for row in conn.execute(query)}

    def query(
        self,
        filter: CaseFilter | None = None,
        sort: str = "detected_on",
        descending: bool = True,
        after: str | None = None,
        limit: int = 50,
    ) -> CasePage:
        """One page of cases by (sort key, exception_id), with the totals of the whole filter.

        `after` is the `next_cursor` of the previous page (keyset paging: page 500
        costs what page 1 does).
        """
        filter = filter or CaseFilter()
        if sort not in SORT_KEYS:
            raise CaseError(f"cannot sort by {sort!r}; sort by one of {', '.join(SORT_KEYS)}")
        if limit < 1:
            raise CaseError("limit must be at least 1")
        key, _ = SORT_KEYS[sort]
        where = filter.clauses(self.dialect)
        page_where = list(where)
        if after:
            value, last_id = _decode_cursor(after, sort)
            bound = type_coerce(literal(value), Money) if sort == "amount_eur" else value
            ident = cases.c.exception_id
            if descending:
                page_where.append(or_(key < bound, and_(key == bound, ident < last_id)))
            else:
                page_where.append(or_(key > bound, and_(key == bound, ident > last_id)))
        ident = cases.c.exception_id
        order = (key.desc(), ident.desc()) if descending else (key, ident)
        # Keys first, rows after: the sort carries only (key, id), not every column.
        page_query = (
            select(cases.c.exception_id).where(*page_where).order_by(*order).limit(limit + 1)
        )
        owed = case(
            (
                and_(cases.c.exception_status == "open", cases.c.amount_eur > 0),
                cases.c.amount_eur - cases.c.credited_eur,
            ),
            else_=0,
        )
        totals_query = select(
            func.count(),
            type_coerce(func.coalesce(func.sum(cases.c.amount_eur), 0), Money),
            type_coerce(func.coalesce(func.sum(owed), 0), Money),
        ).where(*where)
        with self._reader.begin() as conn:
            ids = list(conn.execute(page_query).scalars())
            found = {
                r.exception_id: _case(r)
                for r in conn.execute(select(cases).where(cases.c.exception_id.in_(ids)))
            }
            rows = [found[i] for i in ids]
            count, amount, owed_total = conn.execute(totals_query).one()
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = _encode_cursor(sort, rows[-1])
        return CasePage(rows, int(count), amount, owed_total, next_cursor)

    def iter_cases(
        self, filter: CaseFilter | None = None, sort: str = "detected_on", descending: bool = True
    ) -> Iterator[CaseRow]:
        """Every case the filter selects, page by page (for exports)."""
        cursor = None
        while True:
            page = self.query(filter, sort, descending, after=cursor, limit=2000)
            yield from page.rows
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def workload(self, today: date | None = None) -> list[Workload]:
        """Per assignee: open cases, overdue, euro at stake; euro recovered this month."""
        today = today or today_in_italy()
        month_start = datetime(today.year, today.month, 1, tzinfo=ROME).astimezone(UTC)
        is_open = cases.c.status != "closed"
        recovered = func.coalesce(cases.c.credit_received_eur, cases.c.credited_eur)
        query = (
            select(
                func.coalesce(cases.c.assignee, "").label("assignee"),
                func.sum(case((is_open, 1), else_=0)),
                func.sum(case((and_(is_open, cases.c.due_date < today), 1), else_=0)),
                type_coerce(
                    func.coalesce(
                        func.sum(case((is_open, func.abs(cases.c.amount_eur)), else_=0)), 0
                    ),
                    Money,
                ),
                type_coerce(
                    func.coalesce(
                        func.sum(
                            case(
                                (
                                    and_(
                                        cases.c.status == "closed",
                                        cases.c.closed_at >= month_start,
                                    ),
                                    recovered,
                                ),
                                else_=0,
                            )
                        ),
                        0,
                    ),
                    Money,
                ),
            )
            .group_by(func.coalesce(cases.c.assignee, ""))
            .order_by(func.coalesce(cases.c.assignee, ""))
        )
        with self._reader.begin() as conn:
            return [
                Workload(a, int(o or 0), int(d or 0), s, r) for a, o, d, s, r in conn.execute(query)
            ]

    # --- writing -------------------------------------------------------------------
    def update(
        self,
        exception_ids: Sequence[str],
        *,
        actor: str,
        status: str | None = None,
        assignee: str | None = None,
        root_cause: str | None = None,
        note: str | None = None,
        credit_expected_eur: Decimal | str | None = None,
        credit_received_eur: Decimal | str | None = None,
    ) -> int:
        """Change the named cases; returns how many changed. Unknown ids are refused.

        `assignee=""` takes the case off whoever had it. Everything is checked
        before anything is written, and all of it is one transaction.
        """
        ids = list(dict.fromkeys(exception_ids))
        if not ids:
            raise CaseError("name at least one case (its exception_id)")
        return self._apply(
            CaseFilter(exception_ids=tuple(ids)),
            actor=actor,
            expect_ids=ids,
            changes=self._check_changes(
                actor,
                status,
                assignee,
                root_cause,
                note,
                credit_expected_eur,
                credit_received_eur,
            ),
        )

    def bulk_update(
        self,
        filter: CaseFilter,
        *,
        actor: str,
        status: str | None = None,
        assignee: str | None = None,
        root_cause: str | None = None,
        note: str | None = None,
        credit_expected_eur: Decimal | str | None = None,
        credit_received_eur: Decimal | str | None = None,
    ) -> int:
        """The same changes on every case the filter selects (all or nothing)."""
        return self._apply(
            filter,
            actor=actor,
            expect_ids=None,
            changes=self._check_changes(
                actor,
                status,
                assignee,
                root_cause,
                note,
                credit_expected_eur,
                credit_received_eur,
            ),
        )

    def append_event(
        self,
        exception_id: str,
        *,
        actor: str,
        field: str,
        old_value: Any,
        new_value: Any,
        reason: str | None = None,
    ) -> None:
        """Record what another area did on a case (a claim sent, an escalation, a digest)."""
        self.config.check_may_write(actor)
        if not field or field in CASE_COLUMNS:
            raise CaseError(
                f"field {field!r} is a case field: change it with update(), not append_event()"
            )
        with self._writer.begin() as conn:
            if (
                conn.execute(
                    select(cases.c.exception_id).where(cases.c.exception_id == exception_id)
                ).first()
                is None
            ):
                raise CaseError(f"no case {exception_id!r}")
            conn.execute(
                insert(case_history).values(
                    exception_id=exception_id,
                    at=_now(),
                    actor=actor,
                    field=field,
                    old_value=_text(old_value),
                    new_value=_text(new_value),
                    reason=reason,
                )
            )

    # --- internals -----------------------------------------------------------------
    def _check_changes(
        self,
        actor: str,
        status: str | None,
        assignee: str | None,
        root_cause: str | None,
        note: str | None,
        credit_expected_eur: Decimal | str | None,
        credit_received_eur: Decimal | str | None,
    ) -> _Changes:
        self.config.check_may_write(actor)
        if status is not None and status not in STATUSES:
            raise CaseError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        if root_cause is not None and root_cause not in self.config.root_causes:
            raise CaseError(
                f"unknown root cause {root_cause!r}; expected one of "
                f"{', '.join(self.config.root_causes)} (config/cases.yml)"
            )
        unassign = assignee == ""
        if assignee and self.config.person(assignee) is None:
            raise CaseError(f"{assignee!r} is not a person in config/cases.yml")
        if assignee and not self.config.may_write(assignee):
            raise CaseError(f"{assignee!r} only reads cases and cannot be assigned one")
        if note is not None and not note.strip():
            raise CaseError("a note needs some text")
        changes = _Changes(
            status=status,
            assignee=assignee or None,
            root_cause=root_cause,
            note=note,
            credit_expected_eur=_money(credit_expected_eur, "credit expected"),
            credit_received_eur=_money(credit_received_eur, "credit received"),
            unassign=unassign,
        )
        if changes == _Changes():
            raise CaseError(
                "nothing to change: give a status, an assignee, a root cause, a note or a credit"
            )
        return changes

    def _apply(
        self, filter: CaseFilter, *, actor: str, expect_ids: list[str] | None, changes: _Changes
    ) -> int:
        now = _now()
        today = now.astimezone(ROME).date()
        columns = [cases.c[c] for c in CASE_COLUMNS]
        with self._writer.begin() as conn:
            where = filter.clauses(conn.dialect.name)
            query = select(*columns).where(*where).order_by(cases.c.exception_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            current = [_case(r) for r in conn.execute(query)]
            if expect_ids is not None:
                found = {c.exception_id for c in current}
                missing = [i for i in expect_ids if i not in found]
                if missing:
                    raise CaseError(f"no case {', '.join(missing[:5])} (nothing was changed)")
            plans = [self._plan(c, changes, actor, today) for c in current]
            self._refuse_bad_moves(current, changes, plans)
            history_rows, updates = [], []
            for row, plan in zip(current, plans, strict=True):
                for name, new in plan.items():
                    history_rows.append(
                        {
                            "exception_id": row.exception_id,
                            "at": now,
                            "actor": actor,
                            "field": name,
                            "old_value": _text(getattr(row, name)),
                            "new_value": _text(new),
                            "reason": None,
                        }
                    )
                if plan:
                    updates.append((row.exception_id, plan))
            if history_rows:
                conn.execute(insert(case_history), history_rows)
            _write_updates(conn, updates, now)
            if changes.note is not None and current:
                conn.execute(
                    insert(case_notes),
                    [
                        {
                            "exception_id": c.exception_id,
                            "at": now,
                            "actor": actor,
                            "text": changes.note,
                        }
                        for c in current
                    ],
                )
        if changes.note is not None:
            return len(current)
        return len(updates)

    def _plan(self, row: CaseRow, changes: _Changes, actor: str, today: date) -> dict[str, Any]:
        """The fields of one case that change, with their new values."""
        plan: dict[str, Any] = {}

        def set_(name: str, value: Any) -> None:
            if getattr(row, name) != value:
                plan[name] = value

        if changes.root_cause is not None:
            set_("root_cause", changes.root_cause)
        if changes.assignee is not None:
            set_("assignee", changes.assignee)
        elif changes.unassign:
            set_("assignee", None)
        if changes.credit_expected_eur is not None:
            set_("credit_expected_eur", changes.credit_expected_eur)
        if changes.credit_received_eur is not None:
            set_("credit_received_eur", changes.credit_received_eur)
        if changes.status is not None and changes.status != row.status:
            plan["status"] = changes.status
            if changes.status == "closed":
                plan["closed_at"] = _now()
                plan["closed_by"] = actor
            elif row.status == "closed":  # reopened by a person
                plan["closed_at"] = None
                plan["closed_by"] = None
                set_("due_date", self.due_date(row.severity, today))
        return plan

    def _refuse_bad_moves(
        self, current: list[CaseRow], changes: _Changes, plans: list[dict[str, Any]]
    ) -> None:
        bad = [
            c
            for c in current
            if changes.status is not None
            and changes.status != c.status
            and changes.status not in TRANSITIONS[c.status]
        ]
        if bad:
            examples = ", ".join(f"{c.exception_id} ({c.status})" for c in bad[:5])
            allowed = "; ".join(f"{s} -> {', '.join(sorted(t))}" for s, t in TRANSITIONS.items())
            raise CaseError(
                f"{len(bad)} case(s) cannot move to {changes.status}: {examples}. "
                f"Allowed moves: {allowed} (nothing was changed)"
            )
        if changes.status == "closed":
            no_cause = [
                c
                for c, plan in zip(current, plans, strict=True)
                if "status" in plan and not (plan.get("root_cause") or c.root_cause)
            ]
            if no_cause:
                raise CaseError(
                    f"closing needs a root cause: {', '.join(c.exception_id for c in no_cause[:5])}"
                    " have none; give --root-cause (nothing was changed)"
                )
        if changes.credit_expected_eur is not None or changes.credit_received_eur is not None:
            not_billing = [c for c in current if not c.is_billing]
            if not_billing:
                raise CaseError(
                    "credit notes are for billing exceptions only: "
                    f"{', '.join(c.exception_id for c in not_billing[:5])} are not "
                    "(nothing was changed)"
                )

    def due_date(self, severity: str, start: date) -> date:
        """The business day a case opened (or reopened) on `start` is due, by its severity."""
        days = self.config.due_business_days.get(severity, self.config.due_business_days["low"])
        return self.calendar.add_business_days(start, days)


def _write_updates(
    conn: Connection, updates: list[tuple[str, dict[str, Any]]], now: datetime
) -> None:
    """One executemany per distinct set of changed fields (a bulk action is a handful)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for exception_id, plan in updates:
        names = tuple(sorted(plan))
        groups.setdefault(names, []).append(
            {"b_id": exception_id, "b_updated_at": now, **{f"b_{n}": plan[n] for n in names}}
        )
    for names, params in groups.items():
        statement = (
            update(cases)
            .where(cases.c.exception_id == bindparam("b_id"))
            .values({n: bindparam(f"b_{n}", type_=cases.c[n].type) for n in (*names, "updated_at")})
        )
        conn.execute(statement, params)


def _schema_complete(engine: Engine) -> bool:
    """Every table is there (each was created with its triggers, in one transaction)."""
    from sqlalchemy import inspect

    from backoffice.cases.schema import metadata

    with engine.connect() as conn:
        return set(metadata.tables) <= set(inspect(conn).get_table_names())


def _case(row: Any) -> CaseRow:
    mapping = row._mapping
    return CaseRow(**{name: mapping[name] for name in CASE_COLUMNS})


def _money(value: Decimal | str | None, what: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise CaseError(f"{what}: give money as text or Decimal, e.g. '12.50'")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise CaseError(f"{what}: {value!r} is not an amount; write it like 12.50") from None
    if not amount.is_finite() or amount < 0:
        raise CaseError(f"{what}: {value!r} must be a positive amount like 12.50")
    return amount.quantize(CENT)


def _encode_cursor(sort: str, row: CaseRow) -> str:
    value: Any
    if sort == "severity":
        value = {"high": 3, "medium": 2}.get(row.severity, 1)
    elif sort == "status":
        value = STATUSES.index(row.status) if row.status in STATUSES else 9
    else:
        value = getattr(row, sort)
        if value is None:
            value = ""
        value = _text(value) if not isinstance(value, int) else value
    payload = json.dumps([sort, value, row.exception_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key, value, last_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if key != sort:
            raise ValueError(key)
        return SORT_KEYS[sort][1](value), str(last_id)
    except (ValueError, TypeError, binascii.Error, InvalidOperation):
        raise CaseError("this page link is stale or damaged: start again from page 1") from None


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unreadable URL>"


__all__ = [
    "OPEN_STATUSES",
    "SEVERITIES",
    "SORT_KEYS",
    "STATUSES",
    "SYSTEM_ACTOR",
    "TRANSITIONS",
    "CaseError",
    "CaseFilter",
    "CasePage",
    "CaseRow",
    "CaseStore",
    "HistoryRow",
    "Note",
    "Workload",
]
