"""The raw tables' data columns, as Python sees them.

This mirrors `raw_schema.sql` so that parsers know what to produce, the
registry can check a feed's column mapping, and the writer can build typed
Arrow batches. A test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One data column of a raw table.

    `type` is one of text, int, decimal, date, timestamp. Decimals carry the
    precision and scale of the SQL column so that a value that would not fit
    is rejected by the parser instead of failing the load.
    """

    name: str
    type: str
    required: bool = False
    precision: int = 0
    scale: int = 0

    @property
    def sql_type(self) -> str:
        return {
            "text": "varchar",
            "int": "integer",
            "decimal": f"decimal({self.precision}, {self.scale})",
            "date": "date",
            "timestamp": "timestamptz",
        }[self.type]


@dataclass(frozen=True)
class Table:
    """A raw table; `source_column` is filled with the source name, not parsed."""

    name: str
    columns: tuple[Column, ...]
    source_column: str | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _text(name: str, required: bool = False) -> Column:
    return Column(name, "text", required)


def _int(name: str, required: bool = False) -> Column:
    return Column(name, "int", required)


def _dec(name: str, precision: int, scale: int, required: bool = False) -> Column:
    return Column(name, "decimal", required, precision, scale)


def _date(name: str, required: bool = False) -> Column:
    return Column(name, "date", required)


def _ts(name: str, required: bool = False) -> Column:
    return Column(name, "timestamp", required)


LINEAGE_COLUMNS: tuple[str, ...] = (
    "_source_file",
    "_source_row",
    "_file_sha256",
    "_load_id",
    "_delivery_date",
    "_loaded_at",
)

CRM_SIGNED_ORDERS = Table(
    "crm_signed_orders",
    (
        _text("order_id", True),
        _text("order_line_id", True),
        _text("customer_vat", True),
        _text("customer_name"),
        _text("provider", True),
        _text("sku", True),
        _text("description"),
        _int("quantity", True),
        _dec("unit_price", 18, 4, True),
        _dec("vat_rate", 5, 2, True),
        _date("signed_date", True),
        _text("line_status", True),
        _date("cancelled_date"),
        _ts("updated_at", True),
    ),
)

PROVIDER_ORDERS = Table(
    "provider_orders",
    (
        _text("provider", True),
        _text("event_id"),
        _text("provider_order_id", True),
        _text("order_id"),
        _text("order_line_id", True),
        _text("sku", True),
        _int("quantity", True),
        _dec("unit_price", 18, 4, True),
        _ts("submitted_at", True),
    ),
    source_column="provider",
)

PROVIDER_ORDER_EVENTS = Table(
    "provider_order_events",
    (
        _text("provider", True),
        _text("event_id", True),
        _text("provider_order_id"),
        _text("order_line_id", True),
        _text("provider_state", True),
        _ts("state_at", True),
        _text("reason"),
    ),
    source_column="provider",
)

INVOICE_LINES = Table(
    "invoice_lines",
    (
        _text("provider", True),
        _text("invoice_number", True),
        _text("document_type", True),
        _date("invoice_date", True),
        _text("related_invoice_number"),
        _text("customer_vat"),
        _text("currency", True),
        _int("body_number", True),
        _int("line_number", True),
        _text("order_line_id"),
        _text("sku"),
        _text("description"),
        _dec("quantity", 18, 8),
        _date("period_start"),
        _date("period_end"),
        _dec("unit_price", 18, 8),
        _dec("net_amount", 18, 8, True),
        _dec("vat_rate", 5, 2),
        _dec("vat_amount", 18, 8),
    ),
    source_column="provider",
)

INVOICE_VAT_SUMMARIES = Table(
    "invoice_vat_summaries",
    (
        _text("provider", True),
        _text("invoice_number", True),
        _text("document_type", True),
        _date("invoice_date", True),
        _int("body_number", True),
        _dec("vat_rate", 5, 2, True),
        _dec("taxable_amount", 18, 8, True),
        _dec("vat_amount", 18, 8, True),
    ),
    source_column="provider",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        CRM_SIGNED_ORDERS,
        PROVIDER_ORDERS,
        PROVIDER_ORDER_EVENTS,
        INVOICE_LINES,
        INVOICE_VAT_SUMMARIES,
    )
}
