"""How each provider bills: in arrears, monthly, pro rata by day, on a fixed schedule.

Clean lines are billed exactly as RULES.md expects; scenarios then tamper with
specific invoice lines (see scenarios.py). Schedules keep every month billed well
within the 20-day grace of ACTIVE_NOT_BILLED.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from backoffice.sample import zefiro
from backoffice.sample.calendar import (
    add_business_days,
    days_in_month,
    month_end,
    month_start,
    next_business_day_on_or_after,
    next_month,
    rome_date,
)
from backoffice.sample.model import Invoice, InvoiceLine, Line, Unit
from backoffice.sample.money import fmt_it, round2

_ISSUE_DAY = {"alfa": 3, "nuvola": 6, zefiro.NAME: zefiro.ISSUE_DAY}
# business days from issue to the export
_DELIVERY_LAG = {"alfa": 0, "nuvola": 1, zefiro.NAME: zefiro.DELIVERY_LAG}


def invoice_date(provider: str, month: date) -> date:
    """The billing run for `month`: a fixed day of the next month, moved to a business day."""
    return next_business_day_on_or_after(next_month(month).replace(day=_ISSUE_DAY[provider]))


def delivery_date(provider: str, issued: date) -> date:
    return add_business_days(issued, _DELIVERY_LAG[provider])


def visible_month(provider: str, as_of: date) -> date:
    """The latest month whose regular invoice is delivered by `as_of`."""
    month = month_start(as_of)
    while delivery_date(provider, invoice_date(provider, month)) > as_of:
        month = month_start(month - timedelta(days=1))
    return month


def overdue_month(as_of: date) -> date:
    """The latest month that ended at least 20 days before `as_of` (ACTIVE_NOT_BILLED)."""
    month = month_start(as_of)
    while (as_of - month_end(month)).days < 20:
        month = month_start(month - timedelta(days=1))
    return month


def months(first: date, last: date) -> Iterator[date]:
    month = month_start(first)
    while month <= last:
        yield month
        month = next_month(month)


def activation(line: Line) -> date | None:
    moments = [e.at for e in line.events if e.canonical == "ACTIVE"]
    return rome_date(min(moments)) if moments else None


def termination(line: Line) -> date | None:
    active = [e.at for e in line.events if e.canonical == "ACTIVE"]
    if not active:
        return None
    ends = [e.at for e in line.events if e.canonical == "TERMINATED" and e.at > min(active)]
    return rome_date(min(ends)) if ends else None


def charge(quantity: Decimal | int, unit_price: Decimal, days: int, month: date) -> Decimal:
    return round2(Decimal(quantity) * unit_price * days / days_in_month(month))


def period(line: Line, month: date) -> tuple[date, date] | None:
    """The billable part of `month` for a line (active from activation, until termination)."""
    start, end = activation(line), termination(line)
    if start is None:
        return None
    first = max(month, start)
    last = month_end(month) if end is None else min(month_end(month), end - timedelta(days=1))
    return (first, last) if first <= last else None


def invoice_line(line: Line, first: date, last: date, description: str) -> InvoiceLine:
    days = (last - first).days + 1
    return InvoiceLine(
        order_line_id=line.order_line_id,
        sku=line.product.sku,
        description=description,
        quantity=Decimal(line.quantity),
        unit_price=line.unit_price,
        start=first,
        end=last,
        net=charge(line.quantity, line.unit_price, days, first),
        vat_rate=line.vat_rate,
    )


_MESI = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)


def line_text(line: Line, month: date) -> str:
    """What the provider prints on the invoice line (Nuvola's shows the price with a €)."""
    text = f"{line.product.description} \u2013 canone {_MESI[month.month - 1]} {month.year}"
    if line.provider == "nuvola":
        text += f" (\u20ac {fmt_it(line.unit_price)}/mese cad.)"
    return text


@dataclass
class Billing:
    """The unit's invoices by (provider, order, month), to build and then tamper with."""

    unit: Unit
    horizon: date

    def __post_init__(self) -> None:
        self.regular: dict[tuple[str, str, date], Invoice] = {}

    def invoice(self, provider: str, order_id: str, month: date) -> Invoice | None:
        """The regular invoice for a month, created when it is delivered by the horizon."""
        key = (provider, order_id, month)
        if key not in self.regular:
            issued = invoice_date(provider, month)
            delivered = delivery_date(provider, issued)
            if delivered > self.horizon:
                return None
            self.regular[key] = Invoice(provider, "TD01", issued, delivered, order_id, [])
            self.unit.invoices.append(self.regular[key])
        return self.regular[key]

    def bill_clean(self) -> None:
        for line in self.unit.lines:
            start = activation(line)
            if start is None:
                continue
            for month in months(start, self.horizon):
                span = period(line, month)
                if span is None:
                    continue
                invoice = self.invoice(line.provider, line.order_id, month)
                if invoice is None:
                    break
                invoice.lines.append(invoice_line(line, *span, line_text(line, month)))

    def line_on(self, line: Line, month: date) -> tuple[Invoice, InvoiceLine]:
        invoice = self.regular[(line.provider, line.order_id, month)]
        found = [il for il in invoice.lines if il.order_line_id == line.order_line_id]
        return invoice, found[0]

    def extra(
        self,
        provider: str,
        issued: date,
        order_id: str,
        doc_type: str = "TD01",
        related: Invoice | None = None,
    ) -> Invoice | None:
        """An out-of-cycle document (late invoice, credit note), if delivered by the horizon."""
        delivered = delivery_date(provider, issued)
        if delivered > self.horizon:
            return None
        invoice = Invoice(provider, doc_type, issued, delivered, order_id, [], related=related)
        self.unit.invoices.append(invoice)
        return invoice
