"""What the writers actually landed, record by record, with where it landed.

These are the oracle's input: the same values that are in the files (already
rounded and formatted as written), each with its file, row and delivery date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Ref:
    file: str  # relative to the landing zone
    row: str  # CSV data row / NDJSON line / FatturaPA body/line
    delivered: date


@dataclass(frozen=True, slots=True)
class CrmRow:
    order_id: str
    order_line_id: str
    customer_vat: str
    provider: str
    sku: str
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal
    signed_date: date
    line_status: str
    cancelled_date: date | None
    updated_at: datetime
    ref: Ref


@dataclass(frozen=True, slots=True)
class OrderRow:
    provider: str
    provider_order_id: str
    order_id: str
    order_line_id: str
    sku: str
    quantity: int
    unit_price: Decimal
    submitted_at: datetime
    ref: Ref


@dataclass(frozen=True, slots=True)
class EventRow:
    provider: str
    order_line_id: str
    state: str
    at: datetime
    ref: Ref


@dataclass(frozen=True, slots=True)
class InvoiceLineRow:
    provider: str
    invoice_number: str
    doc_type: str
    invoice_date: date
    related: str
    customer_vat: str
    line_no: int
    order_line_id: str
    quantity: Decimal
    start: date
    end: date
    unit_price: Decimal
    net: Decimal
    vat_rate: Decimal
    vat_amount: Decimal | None  # per line in CSV feeds; None for FatturaPA
    ref: Ref


@dataclass(frozen=True, slots=True)
class VatSummaryRow:
    provider: str
    invoice_number: str
    doc_type: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal
    delivered: date


@dataclass(slots=True)
class UnitRecords:
    crm: list[CrmRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    invoice_lines: list[InvoiceLineRow] = field(default_factory=list)
    vat_summaries: list[VatSummaryRow] = field(default_factory=list)
