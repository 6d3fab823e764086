"""Escalation: a case past its due date moves up, one step a day at most.

Step 1 goes to the assignee's lead (for a case nobody has taken, to the lead of
the team that owns it), step 2 to the back-office manager, after the days past
due that config/followup.yml sets per severity. Each step is a row of
`followup_escalations` (the database refuses a second step for a case on the
same day, and the same step twice) and an `escalation` event in the case's
history. The case keeps its assignee: escalating tells the person above, and
their digest lists it, without taking the work from whoever has it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy import select

from backoffice.cases import people
from backoffice.cases.store import CaseFilter, CaseRow, CaseStore
from backoffice.followup import caselink, ledger
from backoffice.followup.config import FollowupConfig
from backoffice.followup.config import load as load_config
from backoffice.settings import Settings

FIELD = "escalation"
LEVELS = {1: "lead", 2: "manager"}


@dataclass(frozen=True)
class Step:
    exception_id: str
    level: int
    to_person: str
    on_date: date
    due_date: date
    severity: str
    days_past_due: int
    assignee: str | None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["on_date"], data["due_date"] = self.on_date.isoformat(), self.due_date.isoformat()
        return data


def morning_after(as_of: date) -> date:
    """The day a night's digest is read: the night of D runs in the small hours of D + 1."""
    return as_of + timedelta(days=1)


def escalate(settings: Settings, today: date) -> list[Step]:
    """Take every overdue case one step up where its rule says so; return the steps taken."""
    config = load_config(settings)
    with CaseStore.open(settings) as store:
        overdue = list(store.iter_cases(CaseFilter(overdue=True, today=today), sort="due_date"))
        staff = store.config
    engine = ledger.engine(settings)
    with engine.connect() as conn:
        done = conn.execute(
            select(
                ledger.escalations.c.exception_id,
                ledger.escalations.c.level,
                ledger.escalations.c.to_person,
                ledger.escalations.c.on_date,
            )
        ).all()
    levels: dict[str, tuple[int, str]] = {}
    stepped_today: set[str] = set()
    for exception_id, level, to_person, on_date in done:
        if level > levels.get(exception_id, (0, ""))[0]:
            levels[exception_id] = (level, to_person)
        if on_date == today:
            stepped_today.add(exception_id)
    steps = []
    for case in overdue:
        if case.exception_id in stepped_today:
            continue
        step = _next_step(case, levels.get(case.exception_id, (0, None)), today, config, staff)
        if step is not None:
            steps.append(step)
    taken = _record(engine, steps)
    caselink.append_events(
        settings,
        people.SYSTEM_ACTOR,
        [
            (
                s.exception_id,
                FIELD,
                levels.get(s.exception_id, (0, None))[1],
                f"{LEVELS[s.level]} {s.to_person}",
                f"{s.days_past_due} day(s) past due {s.due_date.isoformat()} ({s.severity}); "
                f"step {s.level} of 2",
            )
            for s in taken
        ],
    )
    return taken


def _next_step(
    case: CaseRow,
    current: tuple[int, str | None],
    today: date,
    config: FollowupConfig,
    staff: people.CaseConfig,
) -> Step | None:
    level, current_person = current
    days = (today - case.due_date).days
    rule = config.rules.get(case.severity, config.rules["low"])
    if days < 1 or level >= 2:
        return None
    if level == 0 and days >= max(1, rule.lead_after_days):
        lead = _lead_of(case, staff, config)
        if lead == config.manager:
            return _step(case, 2, lead, today, days)
        return _step(case, 1, lead, today, days)
    if days >= max(1, rule.manager_after_days) and current_person != config.manager:
        return _step(case, 2, config.manager, today, days)
    return None


def _step(case: CaseRow, level: int, person: str, today: date, days: int) -> Step:
    return Step(
        exception_id=case.exception_id,
        level=level,
        to_person=person,
        on_date=today,
        due_date=case.due_date,
        severity=case.severity,
        days_past_due=days,
        assignee=case.assignee,
    )


def _lead_of(case: CaseRow, staff: people.CaseConfig, config: FollowupConfig) -> str:
    """The assignee's lead; for a case nobody has, the lead of its team's workers."""
    if case.assignee:
        person = staff.person(case.assignee)
        if person and person.lead:
            return person.lead
        return config.manager
    leads = sorted(
        {
            p.lead
            for p in staff.people.values()
            if p.team == case.owner and p.role == "back_office" and p.lead
        }
    )
    return leads[0] if leads else config.manager


def _record(engine, steps: list[Step]) -> list[Step]:
    """Insert the steps in one statement; a step another process took meanwhile (the same
    case that day, or the same level) is skipped by the database, and not returned."""
    if not steps:
        return []
    stamp = ledger.now()
    e = ledger.escalations
    with engine.begin() as conn:
        conn.execute(
            ledger.insert_ignoring_duplicates(conn, e),
            [
                {
                    "exception_id": s.exception_id,
                    "level": s.level,
                    "to_person": s.to_person,
                    "on_date": s.on_date,
                    "due_date": s.due_date,
                    "severity": s.severity,
                    "days_past_due": s.days_past_due,
                    "at": stamp,
                }
                for s in steps
            ],
        )
        mine = {
            (r.exception_id, r.level)
            for r in conn.execute(
                select(e.c.exception_id, e.c.level).where(
                    e.c.on_date == steps[0].on_date, e.c.at == stamp
                )
            )
        }
    return [s for s in steps if (s.exception_id, s.level) in mine]


def escalated_on(settings: Settings, day: date) -> list[Step]:
    """The steps taken on `day` (what the digests of that morning tell the people above)."""
    e = ledger.escalations
    with ledger.engine(settings).connect() as conn:
        rows = conn.execute(select(e).where(e.c.on_date == day).order_by(e.c.escalation_id)).all()
    return [
        Step(
            exception_id=r.exception_id,
            level=r.level,
            to_person=r.to_person,
            on_date=r.on_date,
            due_date=r.due_date,
            severity=r.severity,
            days_past_due=r.days_past_due,
            assignee=None,
        )
        for r in rows
    ]
