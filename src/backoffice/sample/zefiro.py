"""Zefiro Networks: the sample's opt-in fourth source (third provider), added by configuration.

It exists to prove that a provider is a registry entry, not code: its own
state names, its own column names, and an Excel `.xlsx` export for its orders
(typed cells and text cells mixed, as a back office's Excel leaves them), CSV
for its activations and invoices. The generator writes it only when asked
(`generate_landing_zone(..., fourth_provider_lines=N)`, `--fourth-provider-lines N`), so
every existing seeded sample stays byte-identical; its units come after the
others', with their own unit numbers, and its exceptions go into the same ledger.

REGISTRY_ENTRY is what a data engineer adds to config/providers.yml for it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from backoffice.sample.calendar import ROME
from backoffice.sample.catalogue import PRODUCTS as CATALOGUE_PRODUCTS
from backoffice.sample.catalogue import PROVIDERS
from backoffice.sample.model import Product

NAME = "zefiro"

INFO = PROVIDERS[NAME]  # name, VAT number, address: catalogue.py, with its products
PRODUCTS: tuple[Product, ...] = CATALOGUE_PRODUCTS[NAME]

# The provider's own state names for each canonical state, and one nobody mapped.
LABELS = {
    "ACKNOWLEDGED": ("Presa in carico",),
    "IN_PROGRESS": ("In corso",),
    "HELD": ("Sospesa",),
    "REJECTED": ("Respinta",),
    "ACTIVE": ("Attiva",),
    "TERMINATED": ("Cessata",),
}
UNMAPPED = "In verifica tecnica"
STATE_MAP = {label: canonical for canonical, labels in LABELS.items() for label in labels}

ISSUE_DAY = 5  # invoices are issued on the 5th business-day-adjusted of the next month
DELIVERY_LAG = 1  # and exported a business day later

ORDER_COLUMNS = (
    "Codice Ordine", "Ordine Cliente", "Riga Ordine", "Codice Prodotto", "Quantità",
    "Prezzo Unitario €", "Data Inserimento",
)  # fmt: skip
EVENT_COLUMNS = ("evento", "ordine", "riga", "stato", "quando", "nota")
INVOICE_COLUMNS = (
    "documento", "tipo", "data", "documento_collegato", "piva_cliente", "riga",
    "riferimento_riga", "prodotto", "descrizione", "quantita", "dal", "al", "prezzo",
    "imponibile", "aliquota", "iva", "divisa",
)  # fmt: skip

REGISTRY_ENTRY = """\
  zefiro:
    description: Zefiro Networks (Excel orders, CSV activations and invoices)
    states:
      "Presa in carico": ACKNOWLEDGED
      "In corso": IN_PROGRESS
      "Sospesa": HELD
      "Respinta": REJECTED
      "Attiva": ACTIVE
      "Cessata": TERMINATED
    feeds:
      orders:
        kind: provider_orders
        format: xlsx
        patterns: ["ordini_zefiro_*.xlsx"]
        dialect: {base: italian_csv, timestamp_format: "%d/%m/%Y %H:%M:%S"}
        columns:
          provider_order_id: Codice Ordine
          order_id: Ordine Cliente
          order_line_id: Riga Ordine
          sku: Codice Prodotto
          quantity: Quantità
          unit_price: Prezzo Unitario €
          submitted_at: Data Inserimento
      activations:
        kind: provider_order_events
        format: delimited
        patterns: ["stati_zefiro_*.csv"]
        dialect: {base: italian_csv, encoding: utf-8, timestamp_format: "%Y-%m-%d %H:%M:%S"}
        columns:
          event_id: evento
          provider_order_id: ordine
          order_line_id: riga
          provider_state: stato
          state_at: quando
          reason: nota
      invoices:
        kind: invoice_lines
        format: delimited
        patterns: ["fatture_zefiro_*.csv"]
        dialect: {base: italian_csv, encoding: utf-8}
        columns:
          invoice_number: documento
          document_type: tipo
          invoice_date: data
          related_invoice_number: documento_collegato
          customer_vat: piva_cliente
          line_number: riga
          order_line_id: riferimento_riga
          sku: prodotto
          description: descrizione
          quantity: quantita
          period_start: dal
          period_end: al
          unit_price: prezzo
          net_amount: imponibile
          vat_rate: aliquota
          vat_amount: iva
          currency: divisa
        constants:
          body_number: "1"
"""


def csv_row(values: Sequence[str]) -> bytes:
    """UTF-8, semicolon, CRLF (quoting as RFC 4180 when a value needs it)."""
    quoted = (
        '"' + v.replace('"', '""') + '"' if any(c in v for c in ';"\r\n') else v for v in values
    )
    return (";".join(quoted) + "\r\n").encode("utf-8")


def local_stamp(moment: datetime) -> str:
    """Rome wall-clock time as the activations export writes it: 2026-03-02 10:15:00."""
    return moment.astimezone(ROME).strftime("%Y-%m-%d %H:%M:%S")


OrderCells = tuple[str, str, str, str, int, Decimal, datetime]


def orders_workbook(rows: list[OrderCells]) -> bytes:
    """The orders export as Excel writes it: numbers and dates typed, some typed as text.

    Every other price is an Excel number (a float: the reader must give back the
    Decimal), the others Italian text ("1.234,5600"); every third insertion time
    is text, the rest Excel date-times in Rome wall-clock time. Same rows, same bytes.
    """
    import xlsxwriter

    from backoffice.sample.money import fmt_it_price

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"created": datetime(2026, 1, 1), "author": "Zefiro Networks"})
    sheet = book.add_worksheet("Ordini")
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    sheet.write_row(0, 0, ORDER_COLUMNS)
    for r, (po, order, line, sku, quantity, price, at) in enumerate(rows, start=1):
        for c, text in enumerate((po, order, line, sku)):
            sheet.write_string(r, c, text)
        sheet.write_number(r, 4, quantity)
        if r % 2:
            sheet.write_number(r, 5, float(price))
        else:
            sheet.write_string(r, 5, fmt_it_price(price))
        local = at.astimezone(ROME).replace(tzinfo=None)
        if r % 3:
            sheet.write_datetime(r, 6, local, stamp)
        else:
            sheet.write_string(r, 6, local.strftime("%d/%m/%Y %H:%M:%S"))
    book.close()
    return out.getvalue()
