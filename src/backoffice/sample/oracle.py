"""An independent implementation of RULES.md, judging what the generator wrote.

It works on the records the writers return (records.py), never on the files, and
never on the scenarios' intentions: it maps provider states with its own copy of
INPUT.md's table and recomputes every age and amount. A clean line that a scenario
accidentally made late or mis-billed therefore shows up in the ledger instead of
being silently wrong. It judges one unit at a time; units share no lines or invoices.

Where RULES.md leaves room, this oracle reads it as follows:
- A run as of D sees the deliveries dated D or earlier, and moments up to the end
  of D in Europe/Rome.
- ORDER_ENTRY_MISMATCH is a lifecycle control: only for CRM lines whose current
  line_status is `signed`. Its amount is rounded to the cent (half away from zero).
- "Never ACTIVE up to the invoice date": the activation date is after the invoice date.
- ACTIVE_NOT_BILLED counts as covered only days on TD01 lines of the line's own
  (CRM) provider; months are checked from the activation month on.
- `credited` needs some credit: credited_eur != 0 and |amount - credited| <= 0.01
  (otherwise every lifecycle exception, at 0.00, would read as credited).
- customer_vat is the invoice's customer for invoice controls and the CRM's for the
  rest; order_id comes from the CRM (any provider) when it knows the line, and is
  empty for VAT_ERROR, whose invoice is not about one order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from backoffice.sample import zefiro
from backoffice.sample.calendar import business_days, days_in_month, month_end, rome_date
from backoffice.sample.money import AMOUNT_TOLERANCE, ZERO, round2
from backoffice.sample.records import CrmRow, InvoiceLineRow, Ref, UnitRecords

# INPUT.md, "The canonical lifecycle".
STATE_MAP = {
    "alfa": {
        "acknowledged": "ACKNOWLEDGED",
        "inProgress": "IN_PROGRESS",
        "pending": "HELD",
        "held": "HELD",
        "rejected": "REJECTED",
        "failed": "REJECTED",
        "completed": "ACTIVE",
        "cancelled": "TERMINATED",
    },
    "nuvola": {
        "INSERITO": "ACKNOWLEDGED",
        "IN_LAVORAZIONE": "IN_PROGRESS",
        "SOSPESO": "HELD",
        "RIFIUTATO": "REJECTED",
        "ATTIVO": "ACTIVE",
        "CESSATO": "TERMINATED",
    },
}
STATE_MAP[zefiro.NAME] = zefiro.STATE_MAP  # the opt-in fourth source: its registry entry
# RULES.md, "Lifecycle controls": state -> (SLA in business days, exception).
LIFECYCLE_SLA = {
    "SUBMITTED": (2, "ORDER_STUCK"),
    "ACKNOWLEDGED": (3, "ORDER_STUCK"),
    "IN_PROGRESS": (10, "ORDER_STUCK"),
    "HELD": (5, "ORDER_STUCK"),
    "REJECTED": (2, "ORDER_REJECTED"),
}
NOT_SUBMITTED_SLA = 2
PRICE_TOLERANCE = Decimal("0.005")
BILLING_GRACE_DAYS = 20


@dataclass(frozen=True, slots=True)
class Finding:
    exception_type: str
    provider: str
    customer_vat: str
    order_id: str
    order_line_id: str
    invoice_number: str
    invoice_line: str
    period_month: str
    amount: Decimal
    source: Ref
    credited: Decimal = ZERO

    @property
    def identity(self) -> tuple[str, str, str, str, str, str]:
        """OUTPUT.md: (provider, exception_type, order_line_id, invoice_number, invoice_line,
        period_month)."""
        return (
            self.provider,
            self.exception_type,
            self.order_line_id,
            self.invoice_number,
            self.invoice_line,
            self.period_month,
        )


@dataclass(frozen=True, slots=True)
class _Moment:
    at: datetime
    state: str
    ref: Ref


class _View:
    """The unit as a run as of `as_of` sees it: deliveries dated as_of or earlier."""

    def __init__(self, records: UnitRecords, as_of: date) -> None:
        self.as_of = as_of

        def seen(ref: Ref) -> bool:
            return ref.delivered <= as_of

        self.crm: dict[str, CrmRow] = {}
        for row in records.crm:
            if seen(row.ref):
                best = self.crm.get(row.order_line_id)
                if best is None or row.updated_at > best.updated_at:
                    self.crm[row.order_line_id] = row
        self.orders = [
            o for o in records.orders if seen(o.ref) and rome_date(o.submitted_at) <= as_of
        ]
        self.timelines: dict[tuple[str, str], list[_Moment]] = defaultdict(list)
        for o in self.orders:
            self.timelines[(o.provider, o.order_line_id)].append(
                _Moment(o.submitted_at, "SUBMITTED", o.ref)
            )
        for e in records.events:
            canonical = STATE_MAP.get(e.provider, {}).get(e.state)
            if canonical and seen(e.ref) and rome_date(e.at) <= as_of:
                self.timelines[(e.provider, e.order_line_id)].append(
                    _Moment(e.at, canonical, e.ref)
                )
        for timeline in self.timelines.values():
            timeline.sort(key=lambda m: m.at)
        self.invoice_lines = [il for il in records.invoice_lines if seen(il.ref)]
        self.vat_summaries = [v for v in records.vat_summaries if v.delivered <= as_of]

    def first(
        self, provider: str, line_id: str, state: str, after: datetime | None = None
    ) -> _Moment | None:
        for moment in self.timelines.get((provider, line_id), []):
            if moment.state == state and (after is None or moment.at > after):
                return moment
        return None

    def activation(self, provider: str, line_id: str) -> _Moment | None:
        return self.first(provider, line_id, "ACTIVE")

    def termination(self, provider: str, line_id: str) -> date | None:
        active = self.activation(provider, line_id)
        if active is None:
            return None
        end = self.first(provider, line_id, "TERMINATED", after=active.at)
        return rome_date(end.at) if end else None

    def order_id(self, line_id: str) -> str:
        crm = self.crm.get(line_id)
        return crm.order_id if crm else ""


def judge(records: UnitRecords, as_of: date) -> list[Finding]:
    """Every exception RULES.md finds in the unit at the end of `as_of`."""
    view = _View(records, as_of)
    findings = _lifecycle(view) + _billing(view) + _vat(view) + _not_billed(view)
    return _credits(view, findings)


def _lifecycle(view: _View) -> list[Finding]:
    found = []
    for line_id, crm in sorted(view.crm.items()):
        if crm.line_status != "signed":
            continue
        timeline = view.timelines.get((crm.provider, line_id), [])

        def finding(kind: str, ref: Ref, amount: Decimal = ZERO, crm: CrmRow = crm) -> Finding:
            return Finding(
                kind, crm.provider, crm.customer_vat, crm.order_id, crm.order_line_id, "", "", "",
                amount, ref,
            )  # fmt: skip

        if not timeline:
            if business_days(crm.signed_date, view.as_of) > NOT_SUBMITTED_SLA:
                found.append(finding("ORDER_NOT_SUBMITTED", crm.ref))
        else:
            state = timeline[-1].state
            began = len(timeline) - 1
            while began > 0 and timeline[began - 1].state == state:
                began -= 1
            if state in LIFECYCLE_SLA:
                sla, kind = LIFECYCLE_SLA[state]
                if business_days(rome_date(timeline[began].at), view.as_of) > sla:
                    found.append(finding(kind, timeline[began].ref))
        entered = [
            o for o in view.orders if o.provider == crm.provider and o.order_line_id == line_id
        ]
        if entered:
            latest = max(entered, key=lambda o: o.submitted_at)
            if (
                latest.sku != crm.sku
                or latest.quantity != crm.quantity
                or abs(latest.unit_price - crm.unit_price) > PRICE_TOLERANCE
            ):
                amount = latest.quantity * latest.unit_price - crm.quantity * crm.unit_price
                found.append(finding("ORDER_ENTRY_MISMATCH", latest.ref, round2(amount)))
    return found


def _billable_days(start: date, end: date, active: date, terminated: date | None) -> set[date]:
    first = max(start, active)
    last = end if terminated is None else min(end, terminated - timedelta(days=1))
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def _billing(view: _View) -> list[Finding]:
    td01 = sorted(
        (il for il in view.invoice_lines if il.doc_type == "TD01"),
        key=lambda il: (il.invoice_date, il.invoice_number, il.line_no),
    )
    found = []
    previous: dict[tuple[str, str], list[InvoiceLineRow]] = defaultdict(list)
    for il in td01:
        key = (il.provider, il.order_line_id)

        def finding(kind: str, amount: Decimal, il: InvoiceLineRow = il) -> Finding:
            return Finding(
                kind, il.provider, il.customer_vat, view.order_id(il.order_line_id),
                il.order_line_id, il.invoice_number, str(il.line_no), "", amount, il.ref,
            )  # fmt: skip

        duplicate = any(p.start <= il.end and il.start <= p.end for p in previous[key])
        previous[key].append(il)
        if duplicate:
            found.append(finding("DUPLICATE_CHARGE", il.net))
            continue
        crm = view.crm.get(il.order_line_id)
        active = view.activation(il.provider, il.order_line_id)
        if (
            crm is None
            or crm.provider != il.provider
            or active is None
            or rome_date(active.at) > il.invoice_date
        ):
            found.append(finding("BILLED_NOT_ACTIVE", il.net))
            continue
        activated = rome_date(active.at)
        terminated = view.termination(il.provider, il.order_line_id)
        days = len(_billable_days(il.start, il.end, activated, terminated))
        expected = round2(crm.quantity * crm.unit_price * days / days_in_month(il.start))
        difference = il.net - expected
        if abs(difference) <= AMOUNT_TOLERANCE:
            continue
        if terminated is not None and il.end >= terminated:
            kind = "BILLED_AFTER_CANCELLATION"
        elif il.start < activated:
            kind = "BILLED_BEFORE_ACTIVATION"
        elif abs(il.unit_price - crm.unit_price) > PRICE_TOLERANCE:
            kind = "PRICE_MISMATCH"
        elif il.quantity != crm.quantity:
            kind = "QUANTITY_MISMATCH"
        else:
            kind = "PRORATA_ERROR"
        found.append(finding(kind, difference))
    return found


def _vat(view: _View) -> list[Finding]:
    invoices: dict[tuple[str, str], list[InvoiceLineRow]] = defaultdict(list)
    for il in view.invoice_lines:
        if il.doc_type == "TD01":
            invoices[(il.provider, il.invoice_number)].append(il)
    found = []
    for (provider, number), lines in sorted(invoices.items()):
        if all(il.vat_amount is not None for il in lines):
            billed = sum((il.vat_amount for il in lines if il.vat_amount is not None), ZERO)
        else:
            billed = sum(
                (
                    v.tax
                    for v in view.vat_summaries
                    if (v.provider, v.invoice_number) == (provider, number)
                ),
                ZERO,
            )
        by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
        for il in lines:
            crm = view.crm.get(il.order_line_id)
            rate = crm.vat_rate if crm is not None and crm.provider == provider else il.vat_rate
            by_rate[rate] += il.net
        expected = sum((round2(net * rate / 100) for rate, net in by_rate.items()), ZERO)
        if abs(billed - expected) > AMOUNT_TOLERANCE:
            first = min(lines, key=lambda il: il.line_no)
            found.append(
                Finding(
                    "VAT_ERROR",
                    provider,
                    first.customer_vat,
                    "",
                    "",
                    number,
                    "",
                    "",
                    billed - expected,
                    first.ref,
                )
            )
    return found


def _not_billed(view: _View) -> list[Finding]:
    found = []
    cutoff = view.as_of - timedelta(days=BILLING_GRACE_DAYS)
    for line_id, crm in sorted(view.crm.items()):
        active = view.activation(crm.provider, line_id)
        if active is None:
            continue
        activated = rome_date(active.at)
        terminated = view.termination(crm.provider, line_id)
        covered: set[date] = set()
        for il in view.invoice_lines:
            if (
                il.doc_type == "TD01"
                and il.provider == crm.provider
                and il.order_line_id == line_id
            ):
                covered |= {
                    il.start + timedelta(days=i) for i in range((il.end - il.start).days + 1)
                }
        month = activated.replace(day=1)
        while month_end(month) <= cutoff:
            billable = _billable_days(month, month_end(month), activated, terminated)
            uncovered = billable - covered
            if uncovered:
                amount = -round2(
                    crm.quantity * crm.unit_price * len(uncovered) / days_in_month(month)
                )
                found.append(
                    Finding(
                        "ACTIVE_NOT_BILLED",
                        crm.provider,
                        crm.customer_vat,
                        crm.order_id,
                        line_id,
                        "",
                        "",
                        f"{month:%Y-%m}",
                        amount,
                        active.ref,
                    )
                )
            month = month_end(month) + timedelta(days=1)
    return found


def _credits(view: _View, findings: list[Finding]) -> list[Finding]:
    credited: dict[tuple, Decimal] = defaultdict(Decimal)
    unmatched = []
    td04 = sorted(
        (il for il in view.invoice_lines if il.doc_type == "TD04"),
        key=lambda il: (il.invoice_date, il.invoice_number, il.line_no),
    )
    for il in td04:
        targets = [
            f
            for f in findings
            if f.invoice_line
            and (f.provider, f.order_line_id, f.invoice_number)
            == (il.provider, il.order_line_id, il.related)
        ]
        if targets:
            target = min(targets, key=lambda f: int(f.invoice_line))
            credited[target.identity] += il.net
        else:
            unmatched.append(
                Finding(
                    "UNMATCHED_CREDIT",
                    il.provider,
                    il.customer_vat,
                    view.order_id(il.order_line_id),
                    il.order_line_id,
                    il.invoice_number,
                    str(il.line_no),
                    "",
                    -il.net,
                    il.ref,
                )
            )
    result = [
        Finding(
            f.exception_type,
            f.provider,
            f.customer_vat,
            f.order_id,
            f.order_line_id,
            f.invoice_number,
            f.invoice_line,
            f.period_month,
            f.amount,
            f.source,
            credited.get(f.identity, ZERO),
        )
        for f in findings
    ]
    return result + unmatched
