"""FatturaPA 1.2.x electronic invoices (`.xml`, or signed `.xml.p7m`).

Elements are matched by local name, whatever the root's namespace prefix
(p:, ns2:, ...). The parser never expands entities, loads DTDs or touches the
network, and refuses documents with a DOCTYPE: an invoice has none, so one is
either a mistake or an attack. Each FatturaElettronicaBody is one invoice;
its lines go to invoice_lines (source row `body/NumeroLinea`) and its
DatiRiepilogo to invoice_vat_summaries (source row `body/R<n>`). A line or
summary that breaks a row rule of the contract (parsers/rules.py) is rejected.

Speed (issue #8: a night reads a hundred thousand invoices): the XML parser is
made once per thread, each line's and summary's children are walked once into
a map by local name (instead of a search per field), and an amount or a date is
read once per distinct text. tests/unit/parsers/test_fatturapa_equivalence.py
proves the records and rejections are exactly those of the straightforward
reading.
"""

from __future__ import annotations

import re
import threading
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
from backoffice.warehouse.tables import INVOICE_LINES, INVOICE_VAT_SUMMARIES, Column

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
_CACHE_LIMIT = 65_536

# The warehouse columns an amount must fit, looked up once.
_QUANTITY = INVOICE_LINES.column("quantity")
_UNIT_PRICE = INVOICE_LINES.column("unit_price")
_NET_AMOUNT = INVOICE_LINES.column("net_amount")
_LINE_VAT_RATE = INVOICE_LINES.column("vat_rate")
_SUMMARY_VAT_RATE = INVOICE_VAT_SUMMARIES.column("vat_rate")
_TAXABLE_AMOUNT = INVOICE_VAT_SUMMARIES.column("taxable_amount")
_VAT_AMOUNT = INVOICE_VAT_SUMMARIES.column("vat_amount")

Fields = dict[str, str | None]


class _Bad(ValueError):
    """A problem with one element, phrased for a person."""


def parse_fatturapa(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Yield invoice lines and VAT summaries of every body; a bad line is rejected."""
    return parse_fatturapa_bytes(path.read_bytes(), path.name, feed)


def parse_fatturapa_bytes(data: bytes, name: str, feed: Feed) -> Iterator[Record | Rejection]:
    """The same from the file's bytes: ingest reads each invoice once, for its sha256 and
    its parse. `name` is the file's name (a `.p7m` one is unwrapped first)."""
    if name.lower().endswith(".p7m"):
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


_THREAD = threading.local()


def _parser() -> etree.XMLParser:
    """This thread's safe parser, made once rather than per file (lxml advises one parser
    per thread: shared, it is not harmful but slower)."""
    parser = getattr(_THREAD, "parser", None)
    if parser is None:
        parser = _THREAD.parser = safe_parser()
    return parser


def parse_xml(data: bytes) -> etree._Element:
    """Parse safely, and refuse any DOCTYPE (an invoice never has one)."""
    try:
        root = etree.fromstring(data, _parser())
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
    general = _child(body, "DatiGenerali")
    try:
        doc = _child(general, "DatiGeneraliDocumento")
        if doc is None:
            raise _Bad("DatiGenerali/DatiGeneraliDocumento is missing")
        fields = _fields(doc)
        head = {
            "provider": source,
            "invoice_number": _required(fields, "Numero"),
            "document_type": _required(fields, "TipoDocumento"),
            "invoice_date": _date(fields, "Data", required=True),
        }
        currency = _required(fields, "Divisa")
    except _Bad as exc:
        for row, element in _all_rows(number, lines, summaries):
            yield Rejection(row, f"body {number}: {exc}", _raw(element))
        return
    related = _related_invoices(general)
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
    groups: dict[str, list[etree._Element]] = {"AltriDatiGestionali": [], "CodiceArticolo": []}
    fields = _fields(line, groups)
    text = fields.get("NumeroLinea")
    row = f"{body}/{text if text and text.isascii() and text.isdigit() else position}"
    try:
        number = _int(fields, "NumeroLinea")
        values = {
            **head,
            "related_invoice_number": _related_for(related, number),
            "customer_vat": customer,
            "currency": currency,
            "body_number": body,
            "line_number": number,
            "order_line_id": _coded(
                groups["AltriDatiGestionali"], "TipoDato", "ORDLINE", "RiferimentoTesto"
            ),
            "sku": _coded(groups["CodiceArticolo"], "CodiceTipo", "SKU", "CodiceValore"),
            "description": fields.get("Descrizione"),
            "quantity": _decimal(fields, "Quantita", _QUANTITY),
            "period_start": _date(fields, "DataInizioPeriodo"),
            "period_end": _date(fields, "DataFinePeriodo"),
            "unit_price": _decimal(fields, "PrezzoUnitario", _UNIT_PRICE),
            "net_amount": _decimal(fields, "PrezzoTotale", _NET_AMOUNT, required=True),
            "vat_rate": _decimal(fields, "AliquotaIVA", _LINE_VAT_RATE),
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
    fields = _fields(summary)
    try:
        values = {
            **head,
            "body_number": body,
            "vat_rate": _decimal(fields, "AliquotaIVA", _SUMMARY_VAT_RATE, required=True),
            "taxable_amount": _decimal(fields, "ImponibileImporto", _TAXABLE_AMOUNT, required=True),
            "vat_amount": _decimal(fields, "Imposta", _VAT_AMOUNT, required=True),
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


def _fields(
    element: etree._Element, groups: dict[str, list[etree._Element]] | None = None
) -> Fields:
    """The text of each child by local name, any namespace, the first child of each name.

    One walk over the children, where a search per field would walk them again
    for each of the line's dozen fields. It finds what `_child` finds (comments
    and processing instructions, whose tag is not a string, are no field), and
    keeps the text stripped, or None when the child has none or only spaces.
    The children named in `groups` are also collected there, every one in order.
    """
    found: Fields = {}
    for child in element:
        tag = child.tag
        if tag.__class__ is str:
            name = tag[tag.find("}") + 1 :]
            if groups is not None and name in groups:
                groups[name].append(child)
            if name not in found:
                text = child.text
                found[name] = (text.strip() or None) if text is not None else None
    return found


def _child_text(element: etree._Element | None, name: str) -> str | None:
    child = _child(element, name)
    if child is None or child.text is None or not child.text.strip():
        return None
    return child.text.strip()


def _required(fields: Fields, name: str) -> str:
    value = fields.get(name)
    if value is None:
        raise _Bad(f"{name} is missing")
    return value


def _int(fields: Fields, name: str) -> int:
    value = _required(fields, name)
    if not (value.isascii() and value.isdigit()):
        raise _Bad(f'{name} "{value}" is not a whole number')
    try:
        return check_int(int(value))
    except ValueError as exc:
        raise _Bad(f'{name} "{value}" {exc}') from None


# Invoices repeat the same amounts, rates and dates: each distinct text is read once.
_DECIMALS: dict[tuple[str, int, int], Decimal] = {}
_DATES: dict[str, date] = {}


def _decimal(fields: Fields, name: str, column: Column, required: bool = False) -> Any:
    value = fields.get(name)
    if value is None:
        if required:
            raise _Bad(f"{name} is missing")
        return None
    key = (value, column.precision, column.scale)
    known = _DECIMALS.get(key)
    if known is not None:
        return known
    if not _DECIMAL.fullmatch(value):
        raise _Bad(f'{name} "{value}" is not a decimal number like 1234.56')
    try:
        number = check_decimal(Decimal(value), column.precision, column.scale)
    except ValueError as exc:
        raise _Bad(f'{name} "{value}" {exc}') from None
    return _remember(_DECIMALS, key, number)


def _date(fields: Fields, name: str, required: bool = False) -> date | None:
    value = fields.get(name)
    if value is None:
        if required:
            raise _Bad(f"{name} is missing")
        return None
    known = _DATES.get(value)
    if known is not None:
        return known
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _Bad(f'{name} "{value}" is not a date YYYY-MM-DD') from None
    return _remember(_DATES, value, day)


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    """Keep a value read from its text (bounded: emptied when full)."""
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def _coded(group: list[etree._Element], type_tag: str, wanted: str, value_tag: str) -> Any:
    """The value of the first of the `group` whose `type_tag` is `wanted` (e.g. CodiceTipo SKU)."""
    for element in group:
        fields = _fields(element)
        kind = fields.get(type_tag)
        if kind is not None and kind.upper() == wanted:
            return fields.get(value_tag)
    return None


def _customer_vat(header: etree._Element | None) -> str | None:
    customer = _child(_child(header, "CessionarioCommittente"), "DatiAnagrafici")
    vat = _child(customer, "IdFiscaleIVA")
    fields = _fields(vat) if vat is not None else {}
    country, code = fields.get("IdPaese"), fields.get("IdCodice")
    return f"{country}{code}" if country and code else None


def _related_invoices(general: etree._Element | None) -> list[tuple[str, set[int]]]:
    """DatiFattureCollegate: (IdDocumento, the line numbers it names; empty = all)."""
    related = []
    for element in _children(general, "DatiFattureCollegate"):
        number = _child_text(element, "IdDocumento")
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
