"""The generator's truth: what happened to every order line, before it is written.

Scenarios build these objects; writers turn them into landed files and return the
records they wrote (see records.py), which is what the oracle judges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from backoffice.sample.calendar import rome_date


@dataclass(frozen=True, slots=True)
class Customer:
    vat: str  # IT + 11 digits
    name: str
    street: str
    cap: str
    city: str
    province: str


@dataclass(frozen=True, slots=True)
class Product:
    provider: str
    sku: str
    description: str
    list_price: Decimal
    vat_rate: Decimal


@dataclass(slots=True)
class CrmVersion:
    """One exported row of a CRM line; a change is a new version with a later updated_at."""

    updated_at: datetime
    line_status: str = "signed"
    cancelled_date: date | None = None
    quantity: int | None = None  # None: the line's own value
    unit_price: Decimal | None = None
    provider: str | None = None


@dataclass(slots=True)
class Submission:
    """The back office entering the line at its provider (the SUBMITTED moment)."""

    at: datetime
    provider_order_id: str
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(slots=True)
class StateChange:
    at: datetime
    state: str  # the provider's own label (acknowledged, IN_LAVORAZIONE, ...)
    canonical: str  # what the generator meant (the oracle maps labels on its own)
    reason: str = ""


@dataclass(slots=True)
class Line:
    order_id: str
    order_line_id: str
    provider: str
    product: Product
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal
    crm: list[CrmVersion] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    events: list[StateChange] = field(default_factory=list)

    def current_crm(self) -> CrmVersion:
        return max(self.crm, key=lambda v: v.updated_at)

    def trim(self, horizon: date) -> None:
        """Forget whatever happens after the last as-of date: it is not delivered."""
        self.crm = [v for v in self.crm if rome_date(v.updated_at) <= horizon]
        self.submissions = [s for s in self.submissions if rome_date(s.at) <= horizon]
        self.events = [e for e in self.events if rome_date(e.at) <= horizon]


@dataclass(slots=True)
class Order:
    order_id: str
    lines: list[Line]


@dataclass(slots=True)
class InvoiceLine:
    order_line_id: str
    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    start: date
    end: date
    net: Decimal
    vat_rate: Decimal


@dataclass(slots=True)
class Invoice:
    """One invoice (TD01) or credit note (TD04); its number is given when written."""

    provider: str
    doc_type: str
    issued: date
    delivered: date
    order_id: str
    lines: list[InvoiceLine]
    related: Invoice | None = None
    number: str = ""
    signed: bool = False  # alfa: deliver as .xml.p7m


@dataclass(slots=True)
class Expectation:
    """What a scenario means one line (or invoice line) to produce in one run, or not produce.

    Held with references to the model objects: invoice numbers and line numbers exist
    only once the unit is written, when edges.resolve turns this into an EdgeCase.
    `exception_type` "" with fires=False: no exception at all on that invoice line.
    """

    case: str  # what it pins, in words
    exception_type: str
    fires: bool
    line: Line | None = None  # the order line (its id and CRM provider)
    order_line_id: str = ""  # when not in the CRM (line is None)
    provider: str = ""
    invoice: Invoice | None = None
    invoice_line: InvoiceLine | None = None  # None with an invoice: about the whole invoice
    as_of: date | None = None  # the run it is about; None: the first run that sees `visible`
    visible: date | None = None  # the delivery that the case needs (invoices, credit notes)
    amount: Decimal | None = None
    credited: Decimal | None = None
    status: str = ""  # open / credited when it fires


@dataclass(slots=True)
class Unit:
    """A customer's batch of orders: the grain at which the sample is generated and judged.

    Units share nothing (lines, invoices, credit notes are all unit-local), so the
    generator can write and judge them one at a time and stream any size.
    """

    index: int
    scenario: str
    customer: Customer
    orders: list[Order]
    invoices: list[Invoice] = field(default_factory=list)
    lotto: bool = False  # alfa: several invoices of one month in one file
    cases: list[Expectation] = field(default_factory=list)  # edge cases it pins (edges.py)

    @property
    def lines(self) -> list[Line]:
        return [line for order in self.orders for line in order.lines]
