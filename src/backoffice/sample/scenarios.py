"""The scenario catalogue: clean units and units with defects injected at known places.

Each scenario builds one unit for a provider, placed in time relative to the first
as-of date F so that its exception is found by the runs (and, for some, resolved
by a later event delivered before the next run). A scenario only sets up facts; the
ledger comes from the oracle judging the written records, so any knock-on
exception is in the ledger too. Adding a control means adding a function here and
an entry in CATALOGUE. Scenarios placed around every as-of date (the calendar's
edges) and the other edge cases are in edges.py; Builder.expect labels a case with
the result the contract gives it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from backoffice.sample.billing import (
    Billing,
    charge,
    invoice_date,
    overdue_month,
    visible_month,
)
from backoffice.sample.builder import PROVIDERS, Builder, other
from backoffice.sample.calendar import (
    add_business_days,
    dst_change_days,
    month_end,
    month_start,
    next_business_day_on_or_after,
    next_month,
    rome_date,
    rome_moment,
)
from backoffice.sample.catalogue import PRODUCTS
from backoffice.sample.model import Invoice, InvoiceLine, Line, Order, Product
from backoffice.sample.money import round2

BillingTweak = Callable[[Billing], None]
Build = Callable[[Builder, str], BillingTweak | None]


def bd(d: date, n: int) -> date:
    return add_business_days(d, n)


def prev_month(month: date) -> date:
    return month_start(month_start(month) - timedelta(days=1))


def _on_or_after(month: date, day: int) -> date:
    return next_business_day_on_or_after(month.replace(day=day))


def _product(provider: str, rng: random.Random, *, vat22: bool = True) -> Product:
    choices = [p for p in PRODUCTS[provider] if not vat22 or p.vat_rate == Decimal("22.00")]
    return rng.choice(choices)


def _discounted(line: Line, factor: str = "0.88") -> None:
    """Make sure the agreed price differs from the list price (a negotiated discount)."""
    line.unit_price = (line.product.list_price * Decimal(factor)).quantize(Decimal("0.0001"))


def active_since(b: Builder, providers: list[str], activated: date) -> Order:
    """An order whose lines all went live on `activated` along a clean path."""
    order = b.order(b.at(bd(activated, -6)), providers, [_product(p, b.rng) for p in providers])
    _discounted(order.lines[0])  # agreed below list price: a list-price invoice is then wrong
    by_provider: dict[str, list[Line]] = {}
    for line in order.lines:
        by_provider.setdefault(line.provider, []).append(line)
    for lines in by_provider.values():
        b.path(
            lines,
            [
                ("SUBMITTED", bd(activated, -5)),
                ("ACKNOWLEDGED", bd(activated, -5)),
                ("IN_PROGRESS", bd(activated, -4)),
                ("ACTIVE", activated),
            ],
        )
    return order


def _full_month(line: InvoiceLine, month: date) -> None:
    """The provider bills the whole month whatever the line's dates."""
    line.start, line.end = month_start(month), month_end(month)
    line.net = charge(line.quantity, line.unit_price, (line.end - line.start).days + 1, month)


def _recharge(line: InvoiceLine) -> None:
    line.net = charge(line.quantity, line.unit_price, (line.end - line.start).days + 1, line.start)


def _credit(billing: Billing, invoice: Invoice, line: InvoiceLine, net: Decimal, issued: date,
            text: str) -> Invoice | None:  # fmt: skip
    """A credit note naming `invoice`, with one line for `line`'s order line (None: too late)."""
    note = billing.extra(invoice.provider, issued, invoice.order_id, "TD04", related=invoice)
    if note is not None:
        note.lines.append(
            InvoiceLine(
                line.order_line_id,
                line.sku,
                text,
                Decimal(1),
                net,
                line.start,
                line.end,
                net,
                line.vat_rate,
            )
        )
    return note


# --- lifecycle ---------------------------------------------------------------------------------
def not_submitted(b: Builder, p: str) -> None:
    b.order(b.at(bd(b.ctx.first, -6)), [p])


def not_submitted_then_cancelled(b: Builder, p: str) -> None:
    """Never entered at the provider; the customer cancels after the first run: resolved."""
    order = b.order(b.at(bd(b.ctx.first, -5)), [p])
    b.cancel(order.lines[0], b.at(bd(b.ctx.first, 1), 11))


def stuck_submitted(b: Builder, p: str) -> None:
    f = b.ctx.first
    order = b.order(b.at(bd(f, -7)), [p, p])
    b.path(order.lines, [("SUBMITTED", bd(f, -5))])


def stuck_acknowledged(b: Builder, p: str) -> None:
    f = b.ctx.first
    order = b.order(b.at(bd(f, -10)), [p])
    b.path(order.lines, [("SUBMITTED", bd(f, -9)), ("ACKNOWLEDGED", bd(f, -8))])


def stuck_in_progress_then_active(b: Builder, p: str) -> None:
    """In progress too long (a repeated progress event does not restart the clock), then live."""
    f = b.ctx.first
    order = b.order(b.at(bd(f, -18)), [p])
    b.path(
        order.lines,
        [
            ("SUBMITTED", bd(f, -17)),
            ("ACKNOWLEDGED", bd(f, -17)),
            ("IN_PROGRESS", bd(f, -15)),
            ("IN_PROGRESS", bd(f, -9)),
            ("ACTIVE", bd(f, 2)),
        ],
    )


def stuck_held(b: Builder, p: str) -> None:
    f = b.ctx.first
    order = b.order(b.at(bd(f, -14)), [p])
    b.path(
        order.lines,
        [
            ("SUBMITTED", bd(f, -13)),
            ("ACKNOWLEDGED", bd(f, -13)),
            ("IN_PROGRESS", bd(f, -12)),
            ("HELD", bd(f, -8)),
        ],
    )


def rejected(b: Builder, p: str) -> None:
    f = b.ctx.first
    order = b.order(b.at(bd(f, -7)), [p])
    b.path(
        order.lines,
        [("SUBMITTED", bd(f, -6)), ("ACKNOWLEDGED", bd(f, -6)), ("REJECTED", bd(f, -4))],
    )


def rejected_then_resubmitted(b: Builder, p: str) -> None:
    """Rejected, then entered again (new provider order, same line id) and activated."""
    f = b.ctx.first
    order = b.order(b.at(bd(f, -8)), [p])
    b.path(
        order.lines,
        [
            ("SUBMITTED", bd(f, -7)),
            ("ACKNOWLEDGED", bd(f, -7)),
            ("REJECTED", bd(f, -5)),
            ("SUBMITTED", bd(f, 1)),
            ("ACKNOWLEDGED", bd(f, 1)),
            ("IN_PROGRESS", bd(f, 2)),
            ("ACTIVE", bd(f, 4)),
        ],
    )


def _mismatched(b: Builder, p: str, kind: str) -> tuple[Line, dict[str, object]]:
    f = b.ctx.first
    order = b.order(b.at(bd(f, -5)), [p], [_product(p, b.rng)])
    line = order.lines[0]
    _discounted(line)
    if kind == "sku":
        others = [x.sku for x in PRODUCTS[p] if x.sku != line.product.sku]
        entered: dict[str, object] = {"sku": b.rng.choice(others)}
    elif kind == "quantity":
        entered = {"quantity": line.quantity + 2}
    else:
        entered = {"unit_price": line.product.list_price}
    b.path(
        [line],
        [
            ("SUBMITTED", bd(f, -4)),
            ("ACKNOWLEDGED", bd(f, -4)),
            ("IN_PROGRESS", bd(f, -3)),
            ("ACTIVE", bd(f, 2)),
        ],
        **entered,
    )
    return line, entered


def _bill_as_entered(line: Line, entered: dict[str, object]) -> BillingTweak:
    """The provider bills what it has on file, not what the CRM says."""

    def tweak(billing: Billing) -> None:
        for invoice in billing.unit.invoices:
            for il in invoice.lines:
                if il.order_line_id == line.order_line_id:
                    il.sku = str(entered.get("sku", il.sku))
                    il.quantity = Decimal(str(entered.get("quantity", il.quantity)))
                    il.unit_price = Decimal(str(entered.get("unit_price", il.unit_price)))
                    _recharge(il)

    return tweak


def entry_mismatch(kind: str) -> Build:
    def build(b: Builder, p: str) -> BillingTweak:
        return _bill_as_entered(*_mismatched(b, p, kind))

    build.__name__ = f"entry_mismatch_{kind}"
    return build


def entry_mismatch_corrected(b: Builder, p: str) -> BillingTweak:
    """The CRM is corrected to the price entered at the provider after the first run."""
    line, entered = _mismatched(b, p, "price")
    b.change(line, b.at(bd(b.ctx.first, 1), 16), unit_price=entered["unit_price"])
    return _bill_as_entered(line, entered)


# --- billing -----------------------------------------------------------------------------------
def _regular(b: Builder, p: str, months_back: int = 2, lines: int = 2) -> tuple[Order, date]:
    """An order live since well before the month whose invoice the first run sees."""
    month = visible_month(p, b.ctx.first)
    start = month
    for _ in range(months_back):
        start = prev_month(start)
    return active_since(b, [p] * lines, _on_or_after(start, 8)), month


def price_mismatch(
    b: Builder, p: str, *, credit: bool = False, later: bool = False
) -> BillingTweak:
    order, month = _regular(b, p)
    target = order.lines[0]
    if later:
        month = next_month(month)

    def tweak(billing: Billing) -> None:
        if (p, order.order_id, month) not in billing.regular:
            return
        invoice, il = billing.line_on(target, month)
        il.unit_price = target.product.list_price
        expected = il.net
        _recharge(il)
        if credit:
            half = round2((il.net - expected) / 2)
            note = _credit(
                billing, invoice, il, half, bd(b.ctx.first, 1), "Storno parziale differenza canone"
            )
            if note is not None:
                b.expect(
                    "a credit note settles part of a price mismatch",
                    "PRICE_MISMATCH",
                    True,
                    line=target,
                    invoice=invoice,
                    invoice_line=il,
                    visible=note.delivered,
                    amount=il.net - expected,
                    credited=half,
                    status="open",
                )

    return tweak


def price_mismatch_part_credited(b: Builder, p: str) -> BillingTweak:
    return price_mismatch(b, p, credit=True)


def price_mismatch_next_month(b: Builder, p: str) -> BillingTweak:
    """On the invoice the first run has not seen yet: detected by a later run."""
    return price_mismatch(b, p, later=True)


def quantity_mismatch(b: Builder, p: str) -> BillingTweak:
    order, month = _regular(b, p)
    target = order.lines[0]

    def tweak(billing: Billing) -> None:
        _, il = billing.line_on(target, month)
        il.quantity += 1
        _recharge(il)

    return tweak


def _activated_in(b: Builder, p: str, month: date, day: int) -> Order:
    return active_since(b, [p], _on_or_after(month, day))


def prorata_error(b: Builder, p: str) -> BillingTweak:
    """Activated mid-month; the provider counts one day too many in the partial month."""
    month = visible_month(p, b.ctx.first)
    order = _activated_in(b, p, month, 12)

    def tweak(billing: Billing) -> None:
        _, il = billing.line_on(order.lines[0], month)
        days = (il.end - il.start).days + 2
        il.net = charge(il.quantity, il.unit_price, days, month)

    return tweak


def billed_before_activation(b: Builder, p: str) -> BillingTweak:
    month = visible_month(p, b.ctx.first)
    order = _activated_in(b, p, month, 15)

    def tweak(billing: Billing) -> None:
        _full_month(billing.line_on(order.lines[0], month)[1], month)

    return tweak


def billed_after_cancellation(b: Builder, p: str) -> BillingTweak:
    """Cancelled and terminated mid-month; the provider bills the month in full."""
    order, month = _regular(b, p)
    target = order.lines[0]
    ended = _on_or_after(month, 15)
    b.cancel(target, b.at(bd(ended, -3)))
    b.state([target], b.at(ended), "TERMINATED")

    def tweak(billing: Billing) -> None:
        _full_month(billing.line_on(target, month)[1], month)

    return tweak


def duplicate_charge(b: Builder, p: str, *, credit: bool = False) -> BillingTweak:
    """Last month's charge billed again on this month's invoice."""
    order, month = _regular(b, p)
    target = order.lines[0]

    def tweak(billing: Billing) -> None:
        _, previous = billing.line_on(target, prev_month(month))
        invoice, _ = billing.line_on(target, month)
        again = replace(previous)
        invoice.lines.append(again)
        where = {"line": target, "invoice": invoice, "invoice_line": again, "amount": again.net}
        note = None
        if credit:
            note = _credit(
                billing, invoice, again, again.net, bd(b.ctx.first, 1), "Storno addebito duplicato"
            )
        if note is not None:
            b.expect(
                "a credit note settles a duplicate charge fully",
                "DUPLICATE_CHARGE",
                True,
                visible=note.delivered,
                credited=again.net,
                status="credited",
                **where,
            )
        else:
            b.expect(
                "a duplicate across two invoices (last month billed again)",
                "DUPLICATE_CHARGE",
                True,
                visible=invoice.delivered,
                status="open",
                **where,
            )

    return tweak


def duplicate_charge_credited(b: Builder, p: str) -> BillingTweak:
    return duplicate_charge(b, p, credit=True)


def vat_error(b: Builder, p: str) -> BillingTweak:
    """One line taxed at 10% although the contract (CRM) says 22%."""
    order, month = _regular(b, p)

    def tweak(billing: Billing) -> None:
        _, il = billing.line_on(order.lines[0], month)
        il.vat_rate = Decimal("10.00")

    return tweak


def active_not_billed_then_billed(b: Builder, p: str) -> BillingTweak:
    """A month left off the regular invoice, billed late after the first run: resolved."""
    month = overdue_month(b.ctx.first)
    order = active_since(b, [p, p], _on_or_after(prev_month(month), 8))
    target = order.lines[0]

    def tweak(billing: Billing) -> None:
        invoice, il = billing.line_on(target, month)
        invoice.lines.remove(il)
        late = billing.extra(p, bd(b.ctx.first, 2), order.order_id)
        if late is not None:
            late.lines.append(il)

    return tweak


def active_not_billed_partly(b: Builder, p: str) -> BillingTweak:
    """Only the first half of a month billed (correctly for that half): the rest is missing."""
    month = overdue_month(b.ctx.first)
    order = active_since(b, [p, p], _on_or_after(prev_month(month), 8))

    def tweak(billing: Billing) -> None:
        _, il = billing.line_on(order.lines[0], month)
        il.end = month.replace(day=15)
        _recharge(il)

    return tweak


def billed_never_active(b: Builder, p: str) -> BillingTweak:
    """Billed for a whole month on an invoice dated before the line went live."""
    month = visible_month(p, b.ctx.first)
    activated = bd(invoice_date(p, month), 1)
    order = b.order(b.at(bd(activated, -8)), [p], [_product(p, b.rng)])
    line = order.lines[0]
    b.path(
        [line],
        [
            ("SUBMITTED", bd(activated, -7)),
            ("ACKNOWLEDGED", bd(activated, -7)),
            ("IN_PROGRESS", bd(activated, -6)),
            ("ACTIVE", activated),
        ],
    )

    def tweak(billing: Billing) -> None:
        invoice = billing.invoice(p, order.order_id, month)
        if invoice is not None:
            il = InvoiceLine(line.order_line_id, line.product.sku, line.product.description,
                             Decimal(line.quantity), line.unit_price, month, month, Decimal(0),
                             line.vat_rate)  # fmt: skip
            _full_month(il, month)
            invoice.lines.append(il)

    return tweak


def billed_not_in_crm(b: Builder, p: str) -> BillingTweak:
    """An invoice line naming an order line the CRM has never had."""
    order, month = _regular(b, p)
    product = _product(p, b.rng)
    ghost = f"{order.order_id}-{len(order.lines) + 7:02d}"

    def tweak(billing: Billing) -> None:
        invoice, _ = billing.line_on(order.lines[0], month)
        il = InvoiceLine(ghost, product.sku, product.description, Decimal(1), product.list_price,
                         month, month, Decimal(0), product.vat_rate)  # fmt: skip
        _full_month(il, month)
        invoice.lines.append(il)

    return tweak


def billed_other_providers_line(b: Builder, p: str) -> BillingTweak:
    """Provider p bills a line that the CRM gave to the other provider (billed there too)."""
    q = other(p)
    month = visible_month(p, b.ctx.first)
    order = active_since(b, [q], _on_or_after(prev_month(prev_month(month)), 8))
    product = _product(p, b.rng)
    line = order.lines[0]

    def tweak(billing: Billing) -> None:
        invoice = billing.invoice(p, order.order_id, month)
        if invoice is not None:
            il = InvoiceLine(line.order_line_id, product.sku, product.description,
                             Decimal(line.quantity), product.list_price, month, month, Decimal(0),
                             product.vat_rate)  # fmt: skip
            _full_month(il, month)
            invoice.lines.append(il)

    return tweak


def unmatched_credit(b: Builder, p: str) -> BillingTweak:
    """A goodwill credit note on a correctly billed line: nothing to credit."""
    order, month = _regular(b, p)

    def tweak(billing: Billing) -> None:
        invoice, il = billing.line_on(order.lines[0], month)
        issued = max(invoice.issued, bd(b.ctx.first, -3))
        note = _credit(billing, invoice, il, Decimal("10.00"), issued, "Bonus per disservizio")
        if note is not None:
            b.expect(
                "a credit note that matches no exception",
                "UNMATCHED_CREDIT",
                True,
                line=order.lines[0],
                invoice=note,
                invoice_line=note.lines[0],
                visible=note.delivered,
                amount=Decimal("-10.00"),
                status="open",
            )

    return tweak


# --- clean ---------------------------------------------------------------------------------------
def dst_days(b: Builder, p: str) -> None:
    """Clean lines whose events fall on the days Rome changes its UTC offset (at night)."""
    for day in dst_change_days(b.ctx.start, b.ctx.horizon):
        order = b.order(b.at(bd(day, -4)), [p])
        lines = order.lines
        b.path(lines, [("SUBMITTED", bd(day, -3)), ("ACKNOWLEDGED", bd(day, -3))])
        b.state(lines, rome_moment(day, 1, 30), "IN_PROGRESS")
        b.state(lines, rome_moment(day, 3, 30), "ACTIVE")


def clean(b: Builder, max_lines: int, providers: tuple[str, ...] = PROVIDERS) -> None:
    """A customer's ordinary orders: everything on time and billed right.

    `providers`: who the lines go to (the opt-in fourth source has units of its own).
    """
    ctx, rng = b.ctx, b.rng
    span = (ctx.horizon - ctx.start).days
    day = next_business_day_on_or_after(ctx.start + timedelta(days=rng.randrange(span)))
    if day > ctx.horizon:
        day = bd(ctx.horizon, -1)
    n_orders = 2 if rng.random() < 0.15 and max_lines >= 2 else 1
    b.unit.lotto = n_orders == 2
    budget = max_lines
    for n in range(n_orders):
        size = min(
            rng.choices((1, 2, 3, 4), weights=(50, 25, 15, 10))[0], budget - (n_orders - 1 - n)
        )
        budget -= size
        primary = rng.choice(providers)
        chosen = [primary] * size
        if size > 1 and rng.random() < 0.15 and len(providers) > 1:
            chosen[-1] = other(primary)
        when = day if n == 0 else bd(day, rng.randint(0, 2))
        signed = b.at(when if when <= ctx.horizon else day, rng.randint(9, 17))
        order = b.order(signed, chosen)
        for provider in providers:
            lines = [line for line in order.lines if line.provider == provider]
            if lines:
                _clean_life(b, lines, signed)


def _clean_life(b: Builder, lines: list[Line], signed: datetime) -> None:
    rng = b.rng
    roll = rng.random()
    if roll < 0.04:  # cancelled by the customer before it was entered
        for line in lines:
            b.cancel(line, b.after(signed, rng.choice((0, 1))))
        return
    if roll < 0.07:  # cancelled while in progress: the provider cancels the order
        f = rome_date(signed)
        b.path(
            lines, [("SUBMITTED", bd(f, 1)), ("ACKNOWLEDGED", bd(f, 1)), ("IN_PROGRESS", bd(f, 2))]
        )
        for line in lines:
            b.cancel(line, b.at(bd(f, 3), 10))
        b.state(lines, b.at(bd(f, 4), 12), "TERMINATED")
        return
    unmapped = rng.random() < 0.03
    active = b.clean_path(lines, signed, hold=rng.random() < 0.12, unmapped=unmapped)
    if roll < 0.15:  # used for a while, then cancelled; the provider terminates it
        line = rng.choice(lines)
        cancelled = b.at(bd(rome_date(active), rng.randint(15, 60)))
        b.cancel(line, cancelled)
        b.state([line], b.at(bd(rome_date(cancelled), rng.randint(1, 5))), "TERMINATED")
    elif roll < 0.22:  # re-exported unchanged (a CRM touch): a later version, same values
        line = rng.choice(lines)
        b.change(line, b.at(bd(rome_date(signed), rng.randint(1, 20))))


@dataclass(frozen=True)
class Scenario:
    name: str
    build: Build
    expects: tuple[str, ...]  # what it is meant to produce (documentation and coverage tests)


CATALOGUE: tuple[Scenario, ...] = (
    Scenario("not_submitted", not_submitted, ("ORDER_NOT_SUBMITTED",)),
    Scenario("stuck_in_progress_then_active", stuck_in_progress_then_active, ("ORDER_STUCK",)),
    Scenario("price_mismatch", price_mismatch, ("PRICE_MISMATCH",)),
    Scenario("rejected", rejected, ("ORDER_REJECTED",)),
    Scenario("billed_never_active", billed_never_active, ("BILLED_NOT_ACTIVE",)),
    Scenario("entry_mismatch_price", entry_mismatch("price"), ("ORDER_ENTRY_MISMATCH",)),
    Scenario("stuck_submitted", stuck_submitted, ("ORDER_STUCK",)),
    Scenario("billed_not_in_crm", billed_not_in_crm, ("BILLED_NOT_ACTIVE",)),
    Scenario("stuck_acknowledged", stuck_acknowledged, ("ORDER_STUCK",)),
    Scenario("billed_other_providers_line", billed_other_providers_line, ("BILLED_NOT_ACTIVE",)),
    Scenario("stuck_held", stuck_held, ("ORDER_STUCK",)),
    Scenario("rejected_then_resubmitted", rejected_then_resubmitted, ("ORDER_REJECTED",)),
    Scenario("entry_mismatch_sku", entry_mismatch("sku"), ("ORDER_ENTRY_MISMATCH",)),
    Scenario("entry_mismatch_quantity", entry_mismatch("quantity"), ("ORDER_ENTRY_MISMATCH",)),
    Scenario(
        "not_submitted_then_cancelled", not_submitted_then_cancelled, ("ORDER_NOT_SUBMITTED",)
    ),
    Scenario("duplicate_charge_credited", duplicate_charge_credited, ("DUPLICATE_CHARGE",)),
    Scenario(
        "billed_after_cancellation", billed_after_cancellation, ("BILLED_AFTER_CANCELLATION",)
    ),
    Scenario("billed_before_activation", billed_before_activation, ("BILLED_BEFORE_ACTIVATION",)),
    Scenario("quantity_mismatch", quantity_mismatch, ("QUANTITY_MISMATCH",)),
    Scenario("prorata_error", prorata_error, ("PRORATA_ERROR",)),
    Scenario("vat_error", vat_error, ("VAT_ERROR",)),
    Scenario(
        "active_not_billed_then_billed", active_not_billed_then_billed, ("ACTIVE_NOT_BILLED",)
    ),
    Scenario("active_not_billed_partly", active_not_billed_partly, ("ACTIVE_NOT_BILLED",)),
    Scenario("unmatched_credit", unmatched_credit, ("UNMATCHED_CREDIT",)),
    Scenario("price_mismatch_part_credited", price_mismatch_part_credited, ("PRICE_MISMATCH",)),
    Scenario("duplicate_charge", duplicate_charge, ("DUPLICATE_CHARGE",)),
    Scenario("price_mismatch_next_month", price_mismatch_next_month, ("PRICE_MISMATCH",)),
    Scenario("entry_mismatch_corrected", entry_mismatch_corrected, ("ORDER_ENTRY_MISMATCH",)),
    Scenario("dst_days", dst_days, ()),
)
