"""The morning digests: per owner and per person, what is new, reopened, overdue, closed
and escalated, each case once per reason.

A digest item is identified by (recipient, case, reason key): `new`, `reopened:<h>`,
`overdue:<due date>`, `closed:<h>`, `escalated:<level>` (h: the case-history row of
the move). A key delivered on an earlier night is never listed again, so a case
overdue for a week is told once, and again only if it is reopened and overdue anew.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from sqlalchemy import and_, func, or_, select

from backoffice.cases.schema import case_history
from backoffice.cases.store import OPEN_STATUSES, CaseFilter, CaseRow, CaseStore
from backoffice.followup import ledger
from backoffice.followup.config import FollowupConfig
from backoffice.followup.escalation import LEVELS, Step
from backoffice.followup.render import money

SECTIONS = ("escalated", "new", "reopened", "overdue", "closed")
SECTION_TITLES = {
    "escalated": "Escalated to you",
    "new": "New",
    "reopened": "Reopened",
    "overdue": "Overdue",
    "closed": "Closed",
}
_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Item:
    reason: str  # one of SECTIONS
    key: str  # the reason key recorded as delivered
    case: CaseRow
    link: str
    note: str = ""

    @property
    def where(self) -> str:
        """Invoice and order line, status, due date and assignee, in one line."""
        case = self.case
        parts = []
        if case.invoice_number:
            line = f" line {case.invoice_line}" if case.invoice_line is not None else ""
            parts.append(f"invoice {case.invoice_number}{line}")
        if case.order_line_id:
            parts.append(f"order line {case.order_line_id}")
        parts.append(f"status {case.status}, due {case.due_date.isoformat()}")
        parts.append(f"assignee {case.assignee or 'nobody'}")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)

    @cached_property
    def outstanding_eur(self) -> Decimal:
        """What the case puts at stake: its amount net of credits (signed, as the summary)."""
        return money(self.case.amount_eur - self.case.credited_eur)


@dataclass
class Digest:
    recipient: str  # owner:<owner> or person:<name>
    title: str
    addresses: tuple[str, ...]
    as_of: date
    items: list[Item] = field(default_factory=list)
    limit: int = 300  # items listed per section; the rest wait for the next digests
    queue_link: str = ""  # the review app's queue, filtered on this recipient's cases

    def section(self, reason: str) -> list[Item]:
        return [i for i in self.items if i.reason == reason]

    def shown(self, reason: str) -> list[Item]:
        """The items listed (the first `limit` by severity and amount)."""
        return self.section(reason)[: self.limit]

    def hidden(self, reason: str) -> int:
        return max(0, len(self.section(reason)) - self.limit)

    @property
    def listed(self) -> list[Item]:
        """Every item the message lists: what is recorded as delivered."""
        return [i for r in SECTIONS for i in self.shown(r)]

    def total(self, reason: str) -> Decimal:
        return money(sum((i.outstanding_eur for i in self.section(reason)), Decimal(0)))

    @property
    def at_stake_eur(self) -> Decimal:
        """Net of credits over the distinct open cases listed (closed ones are settled)."""
        cases = {i.case.exception_id: i for i in self.items if i.reason != "closed"}
        return money(sum((i.outstanding_eur for i in cases.values()), Decimal(0)))

    @property
    def file_stem(self) -> str:
        return self.recipient.replace(":", "-")

    @property
    def subject(self) -> str:
        counts = ", ".join(
            f"{len(self.section(r))} {SECTION_TITLES[r].lower()}"
            for r in SECTIONS
            if self.section(r)
        )
        return f"Back office {self.as_of}: {counts} - EUR {self.at_stake_eur:,.2f} at stake"


def case_link(review_url: str, exception_id: str) -> str:
    return f"{review_url}/exceptions/{exception_id}"


def compose(
    store: CaseStore,
    engine,
    config: FollowupConfig,
    review_url: str,
    as_of: date,
    today: date,
    steps: list[Step],
) -> tuple[list[Digest], int]:
    """Every recipient's digest for the night of `as_of` (read on `today`), the case-history
    row it read from and the one it read up to. Empty digests are included (callers skip
    them)."""
    open_cases = list(store.iter_cases(CaseFilter(status=OPEN_STATUSES), sort="due_date"))
    since = _previous_watermark(engine, as_of)
    moves, watermark = _status_moves(store, since)
    moved_ids = tuple(sorted({m[1] for m in moves}))
    by_id = {c.exception_id: c for c in open_cases}
    if moved_ids:
        missing = tuple(i for i in moved_ids if i not in by_id)
        for chunk in range(0, len(missing), 500):
            ids = missing[chunk : chunk + 500]
            by_id.update(
                {c.exception_id: c for c in store.iter_cases(CaseFilter(exception_ids=ids))}
            )
    delivered = _delivered(engine, as_of)

    def link(case: CaseRow) -> str:
        return case_link(review_url, case.exception_id)

    candidates: dict[str, list[Item]] = defaultdict(list)
    for case in open_cases:
        targets = [f"owner:{case.owner}"] + ([f"person:{case.assignee}"] if case.assignee else [])
        for recipient in targets:
            candidates[recipient].append(Item("new", "new", case, link(case)))
            if case.due_date < today:
                days = (today - case.due_date).days
                candidates[recipient].append(
                    Item(
                        "overdue",
                        f"overdue:{case.due_date.isoformat()}",
                        case,
                        link(case),
                        f"{days} day(s) overdue",
                    )
                )
    for history_id, exception_id, old, new in moves:
        case = by_id.get(exception_id)
        if case is None:
            continue
        targets = [f"owner:{case.owner}"] + ([f"person:{case.assignee}"] if case.assignee else [])
        for recipient in targets:
            told = delivered.get(recipient, {})
            if (exception_id, "new") not in told:
                continue  # they never heard of it: a reopened one is simply new to them
            if new == "closed" and case.status == "closed":
                candidates[recipient].append(
                    Item("closed", f"closed:{history_id}", case, link(case), f"was {old}")
                )
            elif old == "closed" and case.status != "closed":
                candidates[recipient].append(
                    Item("reopened", f"reopened:{history_id}", case, link(case))
                )
    for step in steps:
        case = by_id.get(step.exception_id) or store.get(step.exception_id)
        if case is None:
            continue
        candidates[f"person:{step.to_person}"].append(
            Item(
                "escalated",
                f"escalated:{step.level}",
                case,
                link(case),
                f"escalated to you ({LEVELS[step.level]}, step {step.level} of 2): "
                f"{step.days_past_due} day(s) past due",
            )
        )

    digests = []
    staff = store.config
    for recipient in sorted(candidates):
        told = delivered.get(recipient, {})
        items = [
            i
            for i in candidates[recipient]
            if told.get((i.case.exception_id, i.key), as_of) >= as_of  # rerun of D keeps D's
        ]
        items.sort(
            key=lambda i: (
                SECTIONS.index(i.reason),
                _RANK.get(i.case.severity, 3),
                -i.outstanding_eur,
                i.case.exception_id,
            )
        )
        kind, name = recipient.split(":", 1)
        if kind == "owner":
            addresses = config.owner_addresses.get(name) or tuple(
                p.email
                for p in staff.people.values()
                if p.team == name and p.role == "back_office" and p.email
            )
            title = f"Cases owned by {name}"
        else:
            person = staff.person(name)
            addresses = (person.email,) if person and person.email else ()
            title = f"Cases for {name}"
        query = f"owner={name}" if kind == "owner" else f"assignee={name}"
        digests.append(
            Digest(
                recipient,
                title,
                tuple(addresses),
                as_of,
                items,
                limit=config.max_items_per_section,
                queue_link=f"{review_url}/?{query}",
            )
        )
    return digests, since, watermark


def _previous_watermark(engine, as_of: date) -> int:
    """Where the last digests before `as_of` stopped reading the case history."""
    runs = ledger.digest_runs
    with engine.connect() as conn:
        value = conn.execute(
            select(runs.c.history_watermark)
            .where(runs.c.as_of < as_of)
            .order_by(runs.c.run_id.desc())
            .limit(1)
        ).scalar()
    return int(value or 0)


def _status_moves(store: CaseStore, since: int) -> tuple[list[tuple[int, str, str, str]], int]:
    """Closings and reopenings recorded after history row `since`, and the last row read."""
    h = case_history
    query = (
        select(h.c.history_id, h.c.exception_id, h.c.old_value, h.c.new_value)
        .where(
            h.c.history_id > since,
            h.c.field == "status",
            or_(
                and_(h.c.new_value == "closed", h.c.old_value.is_not(None)),
                and_(h.c.old_value == "closed", h.c.new_value != "closed"),
            ),
        )
        .order_by(h.c.history_id)
    )
    with store.read_transaction() as conn:
        moves = [tuple(r) for r in conn.execute(query)]
        last = conn.execute(select(func.max(h.c.history_id))).scalar()
    return moves, int(last or since)


def _delivered(engine, as_of: date) -> dict[str, dict[tuple[str, str], date]]:
    """recipient -> {(case, reason key): the night it was delivered}, up to `as_of`."""
    d = ledger.deliveries
    result: dict[str, dict[tuple[str, str], date]] = defaultdict(dict)
    with engine.connect() as conn:
        for recipient, exception_id, reason, night in conn.execute(
            select(d.c.recipient, d.c.exception_id, d.c.reason, d.c.as_of).where(d.c.as_of <= as_of)
        ):
            result[recipient][(exception_id, reason)] = night
    return result
