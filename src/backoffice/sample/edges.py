"""Edge-case scenarios, placed around the as-of dates, and the labels that pin their results.

The defects of scenarios.py are placed once, relative to the first run. The calendar's
edges depend on the runs themselves, so these scenarios are placed relative to every
as-of date D: for each lifecycle state, one line whose state began exactly SLA
business days before D (no exception at D, one at the next run), the same with the
state entered just after midnight in Rome (its UTC date is the day before: counted
from the UTC date it would fire too early), and one that began SLA + 1 business days
before D (fires at D). Pro rata is pinned at activation and at termination in a month
of each length the sample bills (28, 29, 30, 31 days), including a provider that
divides by 30 and one that bills the termination day; duplicates inside one invoice;
activations on the days Rome changes its clock. Credit notes (full, partial,
unmatched) and duplicates across two invoices are labelled in scenarios.py.

Every such case is labelled (Builder.expect) with what the contract gives it and,
once the unit is written, resolved into an EdgeCase naming the run, the exception's
identity and its figures, so tests find the line in the ledger (or its absence).
The ledger itself comes from the oracle, not from these labels: the labels state
the intention and the tests check that the two agree.

EDGE_AS_OF_DATES is a sequence of runs that exercises every calendar edge of
RULES.md; each pair is a business day and the next one across a weekend and holidays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from backoffice.sample.billing import Billing, charge, visible_month
from backoffice.sample.builder import Builder
from backoffice.sample.calendar import (
    business_days,
    days_in_month,
    dst_change_days,
    holidays,
    is_business_day,
    month_start,
    rome_moment,
)
from backoffice.sample.catalogue import PRODUCTS
from backoffice.sample.ledger import LedgerRow
from backoffice.sample.model import InvoiceLine, Line, Product, Unit
from backoffice.sample.money import AMOUNT_TOLERANCE, round2
from backoffice.sample.scenarios import (
    BillingTweak,
    Build,
    Scenario,
    _on_or_after,
    _regular,
    bd,
    prev_month,
)

EDGE_AS_OF_DATES: tuple[date, ...] = (
    date(2026, 12, 24),  # Thu; the next business day is Mon 28 (Fri 25 Dec, weekend)
    date(2026, 12, 28),
    date(2027, 3, 26),  # Fri; the next business day is Tue 30 (weekend, Easter Monday 29 Mar)
    date(2027, 3, 30),
    date(2027, 10, 1),  # Fri; the next business day is Tue 5 (weekend, San Francesco Mon 4 Oct)
    date(2027, 10, 5),
    date(2028, 3, 6),  # Mon after a plain weekend; February 2028 (29 days) is billed by now
    date(2028, 12, 22),  # Fri; the next business day is Wed 27 (weekend, Mon 25 and Tue 26 Dec)
    date(2028, 12, 27),
)

# RULES.md, "Lifecycle controls": (SLA, exception) and the states a line passes through,
# on the business day before, to reach the state it waits in.
_SLA = {
    "NOT_SUBMITTED": (2, "ORDER_NOT_SUBMITTED", ()),
    "SUBMITTED": (2, "ORDER_STUCK", ()),
    "ACKNOWLEDGED": (3, "ORDER_STUCK", ("SUBMITTED",)),
    "IN_PROGRESS": (10, "ORDER_STUCK", ("SUBMITTED", "ACKNOWLEDGED")),
    "HELD": (5, "ORDER_STUCK", ("SUBMITTED", "ACKNOWLEDGED", "IN_PROGRESS")),
    "REJECTED": (2, "ORDER_REJECTED", ("SUBMITTED", "ACKNOWLEDGED")),
}


@dataclass(frozen=True, slots=True)
class EdgeCase:
    """One labelled edge case: the result the ledger must show for it in one run.

    fires=False: the ledger has no row of `exception_type` for the order line at
    `as_of` (for an invoice line, exception_type is "" and it has no row at all).
    """

    scenario: str  # the unit's label, e.g. "sla_edge_held:alfa"
    case: str
    as_of: date
    exception_type: str
    fires: bool
    provider: str
    order_line_id: str
    invoice_number: str
    invoice_line: str
    amount_eur: Decimal | None
    credited_eur: Decimal | None
    status: str

    @property
    def identity(self) -> tuple[str, str, str, str, str, str]:
        """OUTPUT.md's identity of the exception the case is about."""
        return (
            self.provider,
            self.exception_type,
            self.order_line_id,
            self.invoice_number,
            self.invoice_line,
            "",
        )


@dataclass(frozen=True, slots=True)
class UnitLabel:
    """A scenario unit and the CRM lines it holds (clean units are not listed)."""

    scenario: str  # "<scenario>:<provider>"
    order_line_ids: tuple[str, ...]


def resolve(unit: Unit, as_of_dates: Sequence[date]) -> list[EdgeCase]:
    """The unit's labels with invoice numbers and runs, once the unit has been written."""
    cases = []
    for e in unit.cases:
        as_of = e.as_of or next((d for d in as_of_dates if e.visible and d >= e.visible), None)
        if as_of is None:
            continue  # delivered after the last run: nothing to pin
        number, line_no = "", ""
        if e.invoice is not None:
            number = e.invoice.number
            if e.invoice_line is not None:
                index = next(i for i, il in enumerate(e.invoice.lines) if il is e.invoice_line)
                line_no = str(index + 1)
        provider = e.invoice.provider if e.invoice else (e.line.provider if e.line else e.provider)
        cases.append(
            EdgeCase(
                scenario=unit.scenario,
                case=e.case,
                as_of=as_of,
                exception_type=e.exception_type,
                fires=e.fires,
                provider=provider,
                order_line_id=e.line.order_line_id if e.line else e.order_line_id,
                invoice_number=number,
                invoice_line=line_no,
                amount_eur=None if e.amount is None else round2(e.amount),
                credited_eur=None if e.credited is None else round2(e.credited),
                status=e.status if e.fires else "",
            )
        )
    return cases


def _why(began: date, as_of: date) -> str:
    """The days between that are not business days, as a reader checks them."""
    skipped = []
    d = began + timedelta(days=1)
    while d <= as_of:
        if not is_business_day(d):
            skipped.append(f"{d:%a %d %b}" + (" (holiday)" if d in holidays(d.year) else ""))
        d += timedelta(days=1)
    return f"; not counted: {', '.join(skipped)}" if skipped else ""


def _moment(b: Builder, day: date, midnight: bool) -> datetime:
    if midnight:  # 00:xx in Rome is the day before in UTC, in winter and in summer
        return rome_moment(day, 0, b.rng.randint(2, 50), b.rng.randrange(60))
    return b.at(day, b.rng.randint(9, 17))


def _waiting(b: Builder, p: str, state: str, began: date, moment: datetime) -> Line:
    """A line whose current state (or never having been submitted) began at `moment`."""
    if state == "NOT_SUBMITTED":
        return b.order(moment, [p]).lines[0]
    before = bd(began, -1)
    line = b.order(b.at(bd(began, -2), 9), [p]).lines[0]
    for hour, step in enumerate(_SLA[state][2], start=9):
        if step == "SUBMITTED":
            b.submit([line], rome_moment(before, hour, b.rng.randrange(60)))
        else:
            b.state([line], rome_moment(before, hour, b.rng.randrange(60)), step)
    if state == "SUBMITTED":
        b.submit([line], moment)
    else:
        b.state([line], moment, state)
    return line


def sla_edges(state: str) -> Build:
    """Per run D: at the SLA (by day, and entered just after midnight) and one day over."""
    sla, kind, _ = _SLA[state]

    def build(b: Builder, p: str) -> None:
        runs = b.ctx.as_of
        for k, as_of in enumerate(runs):
            following = runs[k + 1] if k + 1 < len(runs) else None
            for age, midnight in ((sla, False), (sla, True), (sla + 1, False)):
                began = bd(as_of, -age)
                line = _waiting(b, p, state, began, _moment(b, began, midnight))
                night = " at 00:xx Rome (UTC: the day before)" if midnight else ""
                what = (
                    f"{state} since {began}{night}, {age} business days at {as_of}"
                    f" with an SLA of {sla}{_why(began, as_of)}"
                )
                b.expect(
                    what, kind, age > sla, line=line, as_of=as_of, amount=Decimal(0), status="open"
                )
                if age == sla and following is not None:
                    later = business_days(as_of, following)
                    b.expect(
                        f"{what}; {later} business day(s) later, at {following}: fires",
                        kind,
                        True,
                        line=line,
                        as_of=following,
                        amount=Decimal(0),
                        status="open",
                    )

    build.__name__ = f"sla_edge_{state.lower()}"
    return build


def _months_by_length(b: Builder, p: str) -> list[date]:
    """Per month length, the latest month that p has invoiced by the last run."""
    chosen: dict[int, date] = {}
    month = visible_month(p, b.ctx.horizon)
    while month > b.ctx.start:
        chosen.setdefault(days_in_month(month), month)
        month = prev_month(month)
    return sorted(chosen.values())


def _priced(p: str, b: Builder) -> Product:
    """A product worth enough that a day's pro rata is well over a cent."""
    return b.rng.choice([x for x in PRODUCTS[p] if x.list_price >= 10 and x.vat_rate == 22])


def _live(b: Builder, p: str, activated: date, moment: datetime) -> Line:
    line = b.order(b.at(bd(activated, -6)), [p], [_priced(p, b)]).lines[0]
    b.path(
        [line],
        [
            ("SUBMITTED", bd(activated, -5)),
            ("ACKNOWLEDGED", bd(activated, -5)),
            ("IN_PROGRESS", bd(activated, -4)),
        ],
    )
    b.state([line], moment, "ACTIVE")
    return line


def _by_thirty(il: InvoiceLine) -> Decimal:
    """What a provider that divides every month by 30 bills for the line's period."""
    days = (il.end - il.start).days + 1
    return round2(il.quantity * il.unit_price * days / 30)


def _expect_thirty(b: Builder, line: Line, billing: Billing, month: date, when: str) -> None:
    invoice, il = billing.line_on(line, month)
    right = il.net
    il.net = _by_thirty(il)
    difference = il.net - right
    fires = abs(difference) > AMOUNT_TOLERANCE
    b.expect(
        f"pro rata {when} in a {days_in_month(month)}-day month, billed over 30 days",
        "PRORATA_ERROR" if fires else "",
        fires,
        line=line,
        invoice=invoice,
        invoice_line=il,
        visible=invoice.delivered,
        amount=difference if fires else None,
        status="open",
    )


def _expect_clean(b: Builder, line: Line, billing: Billing, month: date, what: str) -> None:
    invoice, il = billing.line_on(line, month)
    b.expect(
        what, "", False, line=line, invoice=invoice, invoice_line=il, visible=invoice.delivered
    )


def prorata_at_activation(b: Builder, p: str) -> BillingTweak:
    """Activated mid-month in a month of each length: billed right, and billed over 30 days."""
    placed = []
    for month in _months_by_length(b, p):
        activated = _on_or_after(month, 10)
        right = _live(b, p, activated, _moment(b, activated, midnight=True))
        thirty = _live(b, p, activated, _moment(b, activated, midnight=False))
        placed.append((month, activated, right, thirty))

    def tweak(billing: Billing) -> None:
        for month, activated, right, thirty in placed:
            if (p, right.order_id, month) not in billing.regular:
                continue
            length = days_in_month(month)
            _expect_clean(
                b,
                right,
                billing,
                month,
                f"pro rata from an activation on {activated} "
                f"at 00:xx Rome (UTC: the day before) in a {length}-day month",
            )
            _expect_thirty(b, thirty, billing, month, f"from an activation on {activated}")

    return tweak


def prorata_at_termination(b: Builder, p: str) -> BillingTweak:
    """Terminated mid-month in a month of each length: right, over 30 days, last day billed."""
    placed = []
    for month in _months_by_length(b, p):
        activated, ended = _on_or_after(prev_month(month), 8), _on_or_after(month, 17)
        lines = []
        for midnight in (True, False, False):
            line = _live(b, p, activated, _moment(b, activated, midnight=False))
            b.cancel(line, b.at(bd(ended, -3)))
            b.state([line], _moment(b, ended, midnight), "TERMINATED")
            lines.append(line)
        placed.append((month, ended, lines))

    def tweak(billing: Billing) -> None:
        for month, ended, (right, thirty, through) in placed:
            if (p, right.order_id, month) not in billing.regular:
                continue
            length = days_in_month(month)
            _expect_clean(
                b,
                right,
                billing,
                month,
                f"pro rata to a termination on {ended} at "
                f"00:xx Rome (UTC: the day before) in a {length}-day month",
            )
            _expect_thirty(b, thirty, billing, month, f"to a termination on {ended}")
            invoice, il = billing.line_on(through, month)
            right_net = il.net
            il.end = ended
            il.net = charge(il.quantity, il.unit_price, (il.end - il.start).days + 1, month)
            b.expect(
                f"the termination day {ended} billed too, in a {length}-day month",
                "BILLED_AFTER_CANCELLATION",
                True,
                line=through,
                invoice=invoice,
                invoice_line=il,
                visible=invoice.delivered,
                amount=il.net - right_net,
                status="open",
            )

    return tweak


def duplicate_in_one_invoice(b: Builder, p: str) -> BillingTweak:
    """The same month charged twice on one invoice: the later line is the duplicate."""
    order, month = _regular(b, p)
    target = order.lines[0]

    def tweak(billing: Billing) -> None:
        invoice, il = billing.line_on(target, month)
        again = replace(il)
        invoice.lines.append(again)
        where = {"line": target, "invoice": invoice, "visible": invoice.delivered}
        b.expect(
            "the first of two identical charges on one invoice", "", False, invoice_line=il, **where
        )
        b.expect(
            "the second of two identical charges on one invoice",
            "DUPLICATE_CHARGE",
            True,
            invoice_line=again,
            amount=again.net,
            status="open",
            **where,
        )

    return tweak


def dst_midnight(b: Builder, p: str) -> BillingTweak:
    """Activated on the days Rome changes its clock: just after midnight, and in the shifted hour.

    00:30 is the day before in UTC; 02:30 on the October day happens twice (the provider's
    local time is the first, summer time, one); 03:30 on the March day comes right after
    the skipped hour. Billed pro rata from that Sunday: nothing to report.
    """
    placed = []
    for day in dst_change_days(b.ctx.start, b.ctx.horizon):
        for hour in (0, 2 if day.month == 10 else 3):
            line = _live(b, p, day, rome_moment(day, hour, 30, b.rng.randrange(60)))
            placed.append((day, hour, line))

    def tweak(billing: Billing) -> None:
        for day, hour, line in placed:
            if (p, line.order_id, month_start(day)) in billing.regular:
                _expect_clean(
                    b,
                    line,
                    billing,
                    month_start(day),
                    f"activated on {day}, the "
                    f"day the clock changes, at {hour:02d}:30 Rome: pro rata",
                )

    return tweak


EDGE_SCENARIOS: tuple[Scenario, ...] = (
    *(
        Scenario(f"sla_edge_{state.lower()}", sla_edges(state), (kind,))
        for state, (_, kind, _) in _SLA.items()
    ),
    Scenario("prorata_at_activation", prorata_at_activation, ("PRORATA_ERROR",)),
    Scenario(
        "prorata_at_termination",
        prorata_at_termination,
        ("PRORATA_ERROR", "BILLED_AFTER_CANCELLATION"),
    ),
    Scenario("duplicate_in_one_invoice", duplicate_in_one_invoice, ("DUPLICATE_CHARGE",)),
    Scenario("dst_midnight", dst_midnight, ()),
)


def disagreement(case: EdgeCase, rows: Sequence[LedgerRow]) -> str | None:
    """Why the ledger rows of the case's run do not show its expected result (None: they do).

    Works on anything shaped like a LedgerRow (the ledger, or the pipeline's exceptions
    read back into LedgerRows); resolved rows are history, not findings.
    """
    mine = [
        r
        for r in rows
        if r.as_of == case.as_of
        and r.status != "resolved"
        and (r.provider, r.order_line_id) == (case.provider, case.order_line_id)
        and (not case.invoice_number or (r.invoice_number, r.invoice_line)
             == (case.invoice_number, case.invoice_line))
    ]  # fmt: skip
    if not case.fires:
        wrong = [
            r for r in mine if not case.exception_type or r.exception_type == case.exception_type
        ]
        return f"expected no exception, found {[r.values() for r in wrong]}" if wrong else None
    found = [r for r in mine if r.identity == case.identity]
    if len(found) != 1:
        return f"expected one {case.exception_type}, found {[r.values() for r in mine]}"
    row = found[0]
    for name, want, got in (
        ("amount_eur", case.amount_eur, row.amount_eur),
        ("credited_eur", case.credited_eur, row.credited_eur),
        ("status", case.status, row.status),
    ):
        if want is not None and want != got:
            return f"{name}: expected {want}, found {got}"
    return None
