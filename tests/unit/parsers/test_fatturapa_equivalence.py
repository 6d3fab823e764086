"""The fast FatturaPA parser and p7m unwrapper give exactly what the straightforward ones gave.

`parse_fatturapa` and `unwrap_p7m` were rewritten for speed (issue #8: one pass over each
element's children, Decimals and dates read once per distinct text, a reused XML parser,
the signed content located in the DER directly). The reference below is the code as it
was before (fatturapa.py at 87388e2, p7m.py at e7a452f), frozen here word for word but for
its names. Every invoice of a generated sample, every FatturaPA case of the bad-delivery
corpus and hand-made variants (comments, namespaced and repeated children, several bodies,
bad values everywhere) must give the same records and rejections, field by field, each
value of the same type and the same text (Decimal('1.0') is not Decimal('1.00')), and the
same error for a file that cannot be read.
"""

from __future__ import annotations

import base64
import binascii
import importlib.util
import re
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms
from lxml import etree

from backoffice.parsers import rules
from backoffice.parsers.fatturapa import parse_fatturapa
from backoffice.parsers.p7m import unwrap_p7m
from backoffice.parsers.records import FileUnreadable, Record, Rejection
from backoffice.parsers.values import check_decimal, check_int
from backoffice.registry import Feed, load_registry
from backoffice.sample import generate_landing_zone
from backoffice.sample.cades import wrap
from backoffice.warehouse.tables import INVOICE_LINES, INVOICE_VAT_SUMMARIES

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus" / "bad_deliveries.py"

# --- the reference: p7m.py at e7a452f, frozen ------------------------------------------------

_PEM_LINE = re.compile(rb"-----(BEGIN|END) [A-Z0-9 ]+-----")
_MAX_NESTING = 4


def reference_unwrap_p7m(data: bytes) -> bytes:
    """The signed content, unwrapping nested envelopes (a file signed twice)."""
    content = _unwrap_once(_der(data))
    for _ in range(_MAX_NESTING):
        if not content.startswith(b"\x30"):
            return content
        try:
            content = _unwrap_once(content)
        except FileUnreadable:
            return content
    return content


def _der(data: bytes) -> bytes:
    """DER bytes, decoding base64 (with or without PEM armour) when that is what landed."""
    if data.startswith(b"\x30"):
        return data
    text = _PEM_LINE.sub(b"", data)
    try:
        return base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise FileUnreadable("not a signature envelope: neither DER nor base64") from None


def _unwrap_once(der: bytes) -> bytes:
    try:
        info = cms.ContentInfo.load(der)
        kind = info["content_type"].native
        if kind != "signed_data":
            raise FileUnreadable(f"the envelope holds {kind}, not signed_data")
        content = info["content"]["encap_content_info"]["content"].native
    except FileUnreadable:
        raise
    except Exception as exc:  # asn1crypto raises many types on malformed input
        raise FileUnreadable(f"not a valid CAdES/PKCS#7 envelope: {exc}") from None
    if not content:
        raise FileUnreadable("the signature envelope holds no content (detached signature)")
    return bytes(content)


# --- the reference: fatturapa.py at 87388e2, frozen ------------------------------------------

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


def reference_parse_fatturapa(path: Path, feed: Feed) -> Iterator[Record | Rejection]:
    """Yield invoice lines and VAT summaries of every body; a bad line is rejected."""
    data = path.read_bytes()
    if path.name.lower().endswith(".p7m"):
        data = reference_unwrap_p7m(data)
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


# --- the comparison --------------------------------------------------------------------------


def _exact(item: Record | Rejection) -> tuple[Any, ...]:
    """An item as comparable data: a value's type and text, not only its numeric equality."""
    if isinstance(item, Rejection):
        return ("rejection", item.source_row, item.reason, item.raw)
    values = [(key, type(value).__name__, str(value)) for key, value in item.values.items()]
    return ("record", item.table, item.source_row, values)


def _outcome(parse: Any, path: Path, feed: Feed) -> list[tuple[Any, ...]]:
    """Every item a parse yields, then the error that ended it (if any), type and message."""
    items: list[tuple[Any, ...]] = []
    try:
        for item in parse(path, feed):
            items.append(_exact(item))
    except Exception as exc:  # any error must be the same error
        items.append(("error", type(exc).__name__, str(exc)))
    return items


def _differences(paths: list[Path], feed: Feed) -> list[str]:
    """The files whose fast reading differs from the reference (read twice: cold, then warm)."""
    different = []
    for path in paths:
        expected = _outcome(reference_parse_fatturapa, path, feed)
        for attempt in ("first", "second"):
            got = _outcome(parse_fatturapa, path, feed)
            if got != expected:
                different.append(f"{path.name} ({attempt} reading): {got!r} != {expected!r}")
    return different


@pytest.fixture(scope="module")
def feed() -> Feed:
    return load_registry(ROOT / "config" / "providers.yml").feed("alfa", "invoices")


@pytest.fixture(scope="module")
def sample_invoices(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every invoice of a generated 300-line sample (about 140 files, a fifth of them signed)."""
    folder = tmp_path_factory.mktemp("sample")
    generate_landing_zone(
        folder / "landing", folder / "ledger.csv", seed=11, order_lines=300,
        as_of_dates=[date(2026, 3, 2), date(2026, 3, 9)],
    )  # fmt: skip
    return sorted((folder / "landing" / "alfa" / "invoices").rglob("IT*.xml*"))


def test_every_generated_invoice_gives_the_same_records(sample_invoices, feed):
    signed = [path for path in sample_invoices if path.name.endswith(".p7m")]
    assert len(sample_invoices) >= 100 and len(signed) >= 10
    assert _differences(sample_invoices, feed) == []
    records = [item for p in sample_invoices for item in parse_fatturapa(p, feed)]
    assert sum(isinstance(item, Record) for item in records) >= 2 * len(sample_invoices)


def test_the_signed_invoices_take_the_direct_path(sample_invoices):
    """The speed is real only if the usual envelope never needs asn1crypto."""
    from backoffice.parsers.p7m import _signed_content

    for path in (p for p in sample_invoices if p.name.endswith(".p7m")):
        der = path.read_bytes()
        assert _signed_content(der) == reference_unwrap_p7m(der), path.name


def _corpus_invoices() -> list[Any]:
    spec = importlib.util.spec_from_file_location("_equivalence_bad_deliveries", CORPUS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return [
        case
        for case in module.CASES
        if case.path.startswith(module.INVOICES) and case.content is not None
    ]


def test_the_corpus_invoices_give_the_same_records_and_errors(tmp_path, feed):
    cases = _corpus_invoices()
    assert len(cases) >= 10
    paths = []
    for case in cases:
        path = tmp_path / case.name / case.path.rsplit("/", 1)[1]
        path.parent.mkdir()
        path.write_bytes(case.content)
        paths.append(path)
    assert _differences(paths, feed) == []


# --- hand-made variants: every path through the parser --------------------------------------

NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
BODY = """
  <FatturaElettronicaBody>
    <DatiGenerali>
      <DatiGeneraliDocumento><TipoDocumento>TD04</TipoDocumento><Divisa>EUR</Divisa>
        <Data>2026-02-28</Data><Numero>NC-7</Numero></DatiGeneraliDocumento>
      <DatiFattureCollegate><IdDocumento>FA-1</IdDocumento>
        <RiferimentoNumeroLinea>2</RiferimentoNumeroLinea></DatiFattureCollegate>
      <DatiFattureCollegate><IdDocumento>FA-0</IdDocumento></DatiFattureCollegate>
    </DatiGenerali>
    <DatiBeniServizi>
      <DettaglioLinee><NumeroLinea>1</NumeroLinea>
        <CodiceArticolo><CodiceTipo>INTERNO</CodiceTipo><CodiceValore>X</CodiceValore></CodiceArticolo>
        <CodiceArticolo><CodiceTipo>SKU</CodiceTipo><CodiceValore>VM-L</CodiceValore></CodiceArticolo>
        <Descrizione>Canone VM L \u2013 febbraio €</Descrizione><Quantita>2.00</Quantita>
        <DataInizioPeriodo>2026-01-10</DataInizioPeriodo><DataFinePeriodo>2026-01-31</DataFinePeriodo>
        <PrezzoUnitario>7.50</PrezzoUnitario><PrezzoTotale>15.00</PrezzoTotale>
        <AliquotaIVA>22.00</AliquotaIVA>
        <AltriDatiGestionali><TipoDato>ORDLINE</TipoDato>
          <RiferimentoTesto>SO-2026-000123-01</RiferimentoTesto></AltriDatiGestionali>
      </DettaglioLinee>
      <DettaglioLinee><NumeroLinea>2</NumeroLinea>
        <Descrizione>Fibra</Descrizione><Quantita>1.0000</Quantita>
        <PrezzoUnitario>19.9000</PrezzoUnitario><PrezzoTotale>19.90</PrezzoTotale>
        <AliquotaIVA>22</AliquotaIVA>
      </DettaglioLinee>
      <DettaglioLinee><NumeroLinea>3</NumeroLinea><PrezzoTotale>-4.10</PrezzoTotale>
        <AltriDatiGestionali><TipoDato>ordline</TipoDato>
          <RiferimentoTesto> SO-2026-000123-03 </RiferimentoTesto></AltriDatiGestionali>
      </DettaglioLinee>
      <DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA>
        <ImponibileImporto>30.80</ImponibileImporto><Imposta>6.78</Imposta></DatiRiepilogo>
      <DatiRiepilogo><AliquotaIVA>0.00</AliquotaIVA><Natura>N2.2</Natura>
        <ImponibileImporto>0.00</ImponibileImporto><Imposta>0.00</Imposta></DatiRiepilogo>
    </DatiBeniServizi>
  </FatturaElettronicaBody>"""
BASE = f"""<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica xmlns:p="{NS}" versione="FPR12">
  <FatturaElettronicaHeader>
    <CessionarioCommittente><DatiAnagrafici>
      <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdFiscaleIVA>
    </DatiAnagrafici></CessionarioCommittente>
  </FatturaElettronicaHeader>{BODY}
</p:FatturaElettronica>"""

Q = "<Quantita>2.00</Quantita>"
VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "as generated": (),
    "two bodies": (("</FatturaElettronicaBody>", f"</FatturaElettronicaBody>{BODY}"),),
    "no body": ((BODY, ""),),
    "comments and instructions among children": (
        ("<NumeroLinea>1</NumeroLinea>", "<!-- a --><?pi x?><NumeroLinea>1</NumeroLinea><!--b-->"),
        ("<Numero>", "<!-- n --><Numero>"),
    ),
    "a field twice: the first counts": ((Q, Q + "<Quantita>3.00</Quantita>"),),
    "a field twice, the first empty": ((Q, "<Quantita> </Quantita><Quantita>3.00</Quantita>"),),
    "text after a comment": ((Q, "<Quantita><!-- x -->2.00</Quantita>"),),
    "whitespace around a value": ((Q, "<Quantita>\n  2.00\t</Quantita>"),),
    "children in another namespace": (
        (Q, '<q:Quantita xmlns:q="urn:q">2.00</q:Quantita>'),
        ("<Divisa>EUR</Divisa>", f'<p:Divisa xmlns:p="{NS}">EUR</p:Divisa>'),
    ),
    "a default namespace on the body": (
        ("<FatturaElettronicaBody>", '<FatturaElettronicaBody xmlns="urn:other">'),
    ),
    "no prefix at all": (("p:FatturaElettronica", "FatturaElettronica"), (f' xmlns:p="{NS}"', "")),
    **{
        f"Quantita {value!r}": ((Q, f"<Quantita>{value}</Quantita>"),)
        for value in (
            "abc",
            "1e5",
            "1,50",
            "+2",
            "-0",
            "0",
            "0.00",
            "123456789012345.00",
            "2.123456789",
            "",
            "٣",
            "2.0000000",
        )
    },
    "the same text a fine quantity and a rate with too many decimals": (
        (Q, "<Quantita>22.125</Quantita>"),
        ("<AliquotaIVA>22.00</AliquotaIVA>", "<AliquotaIVA>22.125</AliquotaIVA>"),
    ),
    "Quantita empty element": ((Q, "<Quantita/>"),),
    **{
        f"NumeroLinea {value!r}": (
            ("<NumeroLinea>1</NumeroLinea>", f"<NumeroLinea>{value}</NumeroLinea>"),
        )
        for value in ("x", "٣", "99999999999", "007", "", " 4 ")
    },
    "NumeroLinea missing": (("<NumeroLinea>1</NumeroLinea>", ""),),
    **{
        f"Data {value!r}": (("<Data>2026-02-28</Data>", f"<Data>{value}</Data>"),)
        for value in ("2026-02-30", "1999-12-31", "20260228", "28/02/2026", "")
    },
    "Numero missing": (("<Numero>NC-7</Numero>", ""),),
    "TipoDocumento missing": (("<TipoDocumento>TD04</TipoDocumento>", ""),),
    "Divisa missing": (("<Divisa>EUR</Divisa>", ""),),
    "DatiGeneraliDocumento missing": (
        ("<DatiGeneraliDocumento>", "<Altro>"),
        ("</DatiGeneraliDocumento>", "</Altro>"),
    ),
    "DatiGenerali missing": (("<DatiGenerali>", "<X>"), ("</DatiGenerali>", "</X>")),
    "DatiBeniServizi missing": (("<DatiBeniServizi>", "<X>"), ("</DatiBeniServizi>", "</X>")),
    "PrezzoTotale missing": (("<PrezzoTotale>15.00</PrezzoTotale>", ""),),
    "PrezzoUnitario with 5 decimals": (("<PrezzoUnitario>7.50<", "<PrezzoUnitario>7.12345<"),),
    "AliquotaIVA 122": (("<AliquotaIVA>22</AliquotaIVA>", "<AliquotaIVA>122</AliquotaIVA>"),),
    "period reversed and out of range": (
        ("<DataInizioPeriodo>2026-01-10<", "<DataInizioPeriodo>2026-02-10<"),
        ("<DataFinePeriodo>2026-01-31<", "<DataFinePeriodo>2199-01-31<"),
    ),
    "period date broken": (("<DataFinePeriodo>2026-01-31<", "<DataFinePeriodo>2026-01-32<"),),
    "summary Imposta missing": (("<Imposta>6.78</Imposta>", ""),),
    "summary amount not a number": (("<ImponibileImporto>30.80<", "<ImponibileImporto>x<"),),
    "summary rate negative": (
        ("<AliquotaIVA>0.00</AliquotaIVA>", "<AliquotaIVA>-1</AliquotaIVA>"),
    ),
    "SKU in lower case, first group wrong": (
        ("<CodiceTipo>INTERNO</CodiceTipo>", "<CodiceTipo>sku</CodiceTipo>"),
    ),
    "SKU group without its value": (("<CodiceValore>VM-L</CodiceValore>", ""),),
    "SKU type written twice": (
        ("<CodiceTipo>SKU</CodiceTipo>", "<CodiceTipo> </CodiceTipo><CodiceTipo>SKU</CodiceTipo>"),
    ),
    "related line not a number": (("<RiferimentoNumeroLinea>2<", "<RiferimentoNumeroLinea>x<"),),
    "related invoice without its number": (("<IdDocumento>FA-0</IdDocumento>", ""),),
    "customer without a country": (("<IdPaese>IT</IdPaese>", ""),),
    "a very long description in a rejected line": (
        ("<Descrizione>Fibra</Descrizione>", f"<Descrizione>{'x' * 25_000}</Descrizione>"),
        ("<PrezzoTotale>19.90<", "<PrezzoTotale>n.d.<"),
    ),
    "wrong root": (("p:FatturaElettronica", "p:Ordine"),),
    "a DOCTYPE": (("?>\n", '?>\n<!DOCTYPE x [<!ENTITY a "aaa">]>\n'),),
    "cut in half": ((BASE[len(BASE) // 2 :], ""),),
    "Latin-1 declared": (('encoding="UTF-8"', 'encoding="ISO-8859-1"'),),
}


def _variant(name: str) -> bytes:
    text = BASE
    for old, new in VARIANTS[name]:
        assert old in text, f"{name}: {old!r} is not in the base invoice"
        text = text.replace(old, new)
    encoding = "iso-8859-1" if 'encoding="ISO-8859-1"' in text else "utf-8"
    return text.encode(encoding, errors="xmlcharrefreplace")  # Latin-1: € as &#8364;


def test_hand_made_variants_give_the_same_records_and_errors(tmp_path, feed):
    paths = []
    for number, name in enumerate(VARIANTS):
        path = tmp_path / f"IT01234567890_{number:05d}.xml"
        path.write_bytes(_variant(name))
        paths.append(path)
    for name in ("as generated", "two bodies", "Quantita 'abc'"):  # signed too
        path = tmp_path / f"IT01234567890_S{len(paths):04d}.xml.p7m"
        path.write_bytes(_sign(_variant(name)))
        paths.append(path)
    assert _differences(paths, feed) == []
    kinds = {row[0] for path in paths for row in _outcome(parse_fatturapa, path, feed)}
    assert kinds == {"record", "rejection", "error"}  # the variants reach every outcome


def test_empty_and_non_xml_files_fail_the_same_way(tmp_path, feed):
    paths = []
    for number, data in enumerate((b"", b"not xml", b"\xef\xbb\xbf", b"<a>\x00</a>")):
        path = tmp_path / f"IT01234567890_E{number}.xml"
        path.write_bytes(data)
        paths.append(path)
    assert _differences(paths, feed) == []


# --- envelopes: the direct walk against asn1crypto ------------------------------------------


def _sign(content: bytes) -> bytes:
    return wrap(
        content, seed=5, signed_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        not_before=date(2026, 1, 1),
    )  # fmt: skip


def _element(tag: int, content: bytes) -> bytes:
    """One DER element (definite length)."""
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


SIGNED = bytes.fromhex("06092a864886f70d010702")
DATA = bytes.fromhex("06092a864886f70d010701")
DIGESTS = _element(0x31, _element(0x30, bytes.fromhex("0609608648016503040201") + b"\x05\x00"))


def _envelope(
    content: bytes | None = b"<x/>",
    *,
    version: bytes = b"\x01",
    kind: bytes = DATA,
    middle: bytes = b"",
    octets: int = 0x04,
    octets_element: bytes | None = None,
) -> bytes:
    if octets_element is None and content is not None:
        octets_element = _element(octets, content)
    encap = kind + (b"" if octets_element is None else _element(0xA0, octets_element))
    signed = (
        _element(0x02, version) + DIGESTS + _element(0x30, encap) + middle + _element(0x31, b"")
    )
    return _element(0x30, SIGNED + _element(0xA0, _element(0x30, signed)))


def _unwrapped(unwrap: Any, data: bytes) -> tuple[str, Any]:
    try:
        return ("content", unwrap(data))
    except Exception as exc:  # any error must be the same error
        return (type(exc).__name__, str(exc))


ENVELOPES = {
    "v1 data": _envelope(),
    "v3 data": _envelope(version=b"\x03"),
    "v3 another content type": _envelope(version=b"\x03", kind=SIGNED),
    "v1 another content type": _envelope(kind=SIGNED),
    "v2": _envelope(version=b"\x02"),
    "version in two bytes": _envelope(version=b"\x00\x01"),
    "certificates and crls": _envelope(middle=_element(0xA0, b"") + _element(0xA1, b"")),
    "an unknown part": _envelope(middle=_element(0x04, b"?")),
    "empty content": _envelope(b""),
    "detached": _envelope(None),
    "content in pieces (BER)": _envelope(
        _element(0x04, b"<x") + _element(0x04, b"/>"), octets=0x24
    ),
    "a length in long form where short would do": _envelope(octets_element=b"\x04\x81\x04<x/>"),
    "a length in 5 bytes": _envelope(octets_element=b"\x04\x85\x00\x00\x00\x00\x04<x/>"),
    "a multi-byte tag": _envelope(octets_element=b"\x1f\x04\x04<x/>"),
    "long content": _envelope(b"<x>" + b"y" * 70_000 + b"</x>"),
    "trailing bytes": _envelope() + b"\x00\x00junk",
    "indefinite length (BER)": b"\x30\x80" + _envelope()[2:] + b"\x00\x00",
    "enveloped data": _envelope().replace(SIGNED, bytes.fromhex("06092a864886f70d010703")),
    "a signed file signed again": _envelope(_sign(b"<inner/>"), version=b"\x03"),
    "base64": base64.encodebytes(_sign(b"<x/>")),
    "PEM": b"-----BEGIN PKCS7-----\n" + base64.encodebytes(_sign(b"<x/>")) + b"-----END PKCS7-----",
    "not an envelope": b"<?xml version='1.0'?><a/>",
    "empty": b"",
}


@pytest.mark.parametrize("name", ENVELOPES)
def test_envelopes_unwrap_to_the_same_bytes_or_error(name):
    data = ENVELOPES[name]
    assert _unwrapped(unwrap_p7m, data) == _unwrapped(reference_unwrap_p7m, data)


def test_every_cut_and_every_changed_byte_of_an_envelope_fails_or_unwraps_the_same():
    """A small envelope cut at every length, and each of its bytes replaced by 4 others."""
    good = _envelope(middle=_element(0xA0, b"") + _element(0xA1, b""))
    variants = [good[:cut] for cut in range(len(good))]
    for position in range(len(good)):
        for byte in {0x00, 0x7F, 0x80, 0xFF, good[position] ^ 0x01} - {good[position]}:
            variants.append(good[:position] + bytes([byte]) + good[position + 1 :])
    different = [
        data.hex()
        for data in variants
        if _unwrapped(unwrap_p7m, data) != _unwrapped(reference_unwrap_p7m, data)
    ]
    assert different == []
