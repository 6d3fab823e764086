"""FatturaPA 1.2.x electronic invoices (`.xml`, or signed `.xml.p7m`).

Elements are matched by local name, whatever the root's namespace prefix
(p:, ns2:, ...). The parser never expands entities, loads DTDs or touches the
network, and refuses documents with a DOCTYPE: an invoice has none, so one is
either a mistake or an attack. Each FatturaElettronicaBody is one invoice;
its lines go to invoice_lines (source row `body/NumeroLinea`) and its
DatiRiepilogo to invoice_vat_summaries (source row `body/R<n>`). A line or
summary that breaks a row rule of the contract (parsers/rules.py) is rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from backoffice.parsers import rules
from backoffice.parsers.p7m import unwrap_p7m
from backoffice.parsers.records import FileUnreadable, Record, Rejection
from backoffice.parsers.values import check_decimal, check_int
from backoffice.registry import Feed
from backoffice.warehouse.tables import INVOICE_LINES, INVOICE_VAT_SUMMARIES

# The FatturaPA element behind each field the row rules judge.
NAMES = {
    "document_type": "TipoDocumento",
    "invoice_date": "Data",
    "quantity": "Quantita",
    "period_start": "DataInizioPeriodo",
    "period_end": "DataFinePeriodo",
    "vat_rate": "AliquotaIVA",
}
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_RAW_LIMIT = 20_000


class _Bad(ValueError):
    """A problem with one element, phrased for a person."""


def parse_fatturapa(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Yield invoice lines and VAT summaries of every body; a bad line is rejected."""
    data = path.read_bytes()
    if path.name.lower().endswith(".p7m"):
        data = unwrap_p7m(data)
    root = parse_xml(data)
    if _local(root) != "FatturaElettronica":
        raise FileUnreadable(f"the root element is {_local(root)}, not FatturaElettronica")
    bodies = _children(root, "FatturaElettronicaBody")
    if not bodies:
        raise FileUnreadable("the document has no FatturaElettronicaBody")
    customer = _customer_vat(_child(root, "FatturaElettronicaHeader"))
    for number, body in enumerate(bodies, start=1):
        yield from _body(body, number, customer, feed.source)


def safe_parser() -> etree.XMLParser:
    """An XML parser that expands no entity, loads no DTD and never uses the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes) -> etree._Element:
    """Parse safely, and refuse any DOCTYPE (an invoice never has one)."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise FileUnreadable(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise FileUnreadable("the XML declares a DOCTYPE, which an invoice never has")
    return root


def _body(
    body: etree._Element, number: int, customer: str | None, source: str
) -> Iterator[Record | Rejection]:
    goods = _child(body, "DatiBeniServizi")
    lines = _children(goods, "DettaglioLinee")
    summaries = _children(goods, "DatiRiepilogo")
    try:
        doc = _child(_child(body, "DatiGenerali"), "DatiGeneraliDocumento")
        if doc is None:
            raise _Bad("DatiGenerali/DatiGeneraliDocumento is missing")
        head = {
            "provider": source,
            "invoice_number": _required(doc, "Numero"),
            "document_type": _required(doc, "TipoDocumento"),
            "invoice_date": _date(doc, "Data", required=True),
        }
        currency = _required(doc, "Divisa")
    except _Bad as exc:
        for row, element in _all_rows(number, lines, summaries):
            yield Rejection(row, f"body {number}: {exc}", _raw(element))
        return
    related = _related_invoices(_child(body, "DatiGenerali"))
    for position, line in enumerate(lines, start=1):
        yield _line(line, number, position, head, currency, customer, related)
    for position, summary in enumerate(summaries, start=1):
        yield _summary(summary, number, position, head)


def _line(
    line: etree._Element,
    body: int,
    position: int,
    head: dict[str, Any],
    currency: str,
    customer: str | None,
    related: list[tuple[str, set[int]]],
) -> Record | Rejection:
    text = _text(line, "NumeroLinea")
    row = f"{body}/{text if text and text.isascii() and text.isdigit() else position}"
    try:
        number = _int(line, "NumeroLinea")
        values = {
            **head,
            "related_invoice_number": _related_for(related, number),
            "customer_vat": customer,
            "currency": currency,
            "body_number": body,
            "line_number": number,
            "order_line_id": _coded(
                line, "AltriDatiGestionali", "TipoDato", "ORDLINE", "RiferimentoTesto"
            ),
            "sku": _coded(line, "CodiceArticolo", "CodiceTipo", "SKU", "CodiceValore"),
            "description": _text(line, "Descrizione"),
            "quantity": _decimal(line, "Quantita", INVOICE_LINES.column("quantity")),
            "period_start": _date(line, "DataInizioPeriodo"),
            "period_end": _date(line, "DataFinePeriodo"),
            "unit_price": _decimal(line, "PrezzoUnitario", INVOICE_LINES.column("unit_price")),
            "net_amount": _decimal(
                line, "PrezzoTotale", INVOICE_LINES.column("net_amount"), required=True
            ),
            "vat_rate": _decimal(line, "AliquotaIVA", INVOICE_LINES.column("vat_rate")),
            "vat_amount": None,
        }
        _judge("invoice_lines", values)
    except _Bad as exc:
        return Rejection(row, f"body {body} line {row.split('/')[1]}: {exc}", _raw(line))
    return Record("invoice_lines", row, values)


def _summary(
    summary: etree._Element, body: int, position: int, head: dict[str, Any]
) -> Record | Rejection:
    row = f"{body}/R{position}"
    table = INVOICE_VAT_SUMMARIES
    try:
        values = {
            **head,
            "body_number": body,
            "vat_rate": _decimal(summary, "AliquotaIVA", table.column("vat_rate"), required=True),
            "taxable_amount": _decimal(
                summary, "ImponibileImporto", table.column("taxable_amount"), required=True
            ),
            "vat_amount": _decimal(summary, "Imposta", table.column("vat_amount"), required=True),
        }
        _judge("invoice_vat_summaries", values)
    except _Bad as exc:
        return Rejection(row, f"body {body} DatiRiepilogo {position}: {exc}", _raw(summary))
    return Record("invoice_vat_summaries", row, values)


def _all_rows(
    body: int, lines: list[etree._Element], summaries: list[etree._Element]
) -> Iterator[tuple[str, etree._Element]]:
    for position, line in enumerate(lines, start=1):
        yield f"{body}/{position}", line
    for position, summary in enumerate(summaries, start=1):
        yield f"{body}/R{position}", summary


def _judge(table: str, values: dict[str, Any]) -> None:
    """Raise _Bad with every rule of the contract the line or summary breaks."""
    found = rules.problems(table, values, NAMES)
    if found:
        raise _Bad("; ".join(found))


# --- namespace-agnostic navigation -------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _children(element: etree._Element | None, name: str) -> list[etree._Element]:
    """Children by local name in any namespace (or none), matched by lxml in C."""
    if element is None:
        return []
    return list(element.iterchildren("{*}" + name))


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next(element.iterchildren("{*}" + name), None)


def _text(element: etree._Element | None, name: str) -> str | None:
    child = _child(element, name)
    if child is None or child.text is None or not child.text.strip():
        return None
    return child.text.strip()


def _required(element: etree._Element, name: str) -> str:
    value = _text(element, name)
    if value is None:
        raise _Bad(f"{name} is missing")
    return value


def _int(element: etree._Element, name: str) -> int:
    value = _required(element, name)
    if not (value.isascii() and value.isdigit()):
        raise _Bad(f'{name} "{value}" is not a whole number')
    try:
        return check_int(int(value))
    except ValueError as exc:
        raise _Bad(f'{name} "{value}" {exc}') from None


def _decimal(element: etree._Element, name: str, column: Any, required: bool = False) -> Any:
    value = _text(element, name)
    if value is None:
        if required:
            raise _Bad(f"{name} is missing")
        return None
    if not _DECIMAL.fullmatch(value):
        raise _Bad(f'{name} "{value}" is not a decimal number like 1234.56')
    try:
        return check_decimal(Decimal(value), column.precision, column.scale)
    except ValueError as exc:
        raise _Bad(f'{name} "{value}" {exc}') from None


def _date(element: etree._Element, name: str, required: bool = False) -> date | None:
    value = _text(element, name)
    if value is None:
        if required:
            raise _Bad(f"{name} is missing")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Bad(f'{name} "{value}" is not a date YYYY-MM-DD') from None


def _coded(line: etree._Element, group: str, type_tag: str, wanted: str, value_tag: str) -> Any:
    """The value of the first `group` whose `type_tag` is `wanted` (e.g. CodiceTipo SKU)."""
    for element in _children(line, group):
        kind = _text(element, type_tag)
        if kind is not None and kind.upper() == wanted:
            return _text(element, value_tag)
    return None


def _customer_vat(header: etree._Element | None) -> str | None:
    customer = _child(_child(header, "CessionarioCommittente"), "DatiAnagrafici")
    vat = _child(customer, "IdFiscaleIVA")
    country, code = _text(vat, "IdPaese"), _text(vat, "IdCodice")
    return f"{country}{code}" if country and code else None


def _related_invoices(general: etree._Element | None) -> list[tuple[str, set[int]]]:
    """DatiFattureCollegate: (IdDocumento, the line numbers it names; empty = all)."""
    related = []
    for element in _children(general, "DatiFattureCollegate"):
        number = _text(element, "IdDocumento")
        if number is None:
            continue
        refs = {
            int(t)
            for e in _children(element, "RiferimentoNumeroLinea")
            if (t := (e.text or "").strip()).isascii() and t.isdigit()
        }
        related.append((number, refs))
    return related


def _related_for(related: list[tuple[str, set[int]]], line: int) -> str | None:
    """The invoice a line corrects: the one naming that line, else one naming no line."""
    for number, refs in related:
        if line in refs:
            return number
    for number, refs in related:
        if not refs:
            return number
    return related[0][0] if related else None


def _raw(element: etree._Element) -> str:
    text = etree.tostring(element, encoding="unicode")
    return text if len(text) <= _RAW_LIMIT else text[:_RAW_LIMIT] + " [truncated]"
