"""FatturaPA on hand-written invoices: lines, credit notes, lots, envelopes; hostile XML inert.

The official public samples are read by tests/conformance/ (`make conformance`).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from backoffice.parsers.fatturapa import parse_fatturapa, safe_parser
from backoffice.parsers.records import FileUnreadable, Rejection
from backoffice.registry import load_registry
from backoffice.sample.cades import wrap

PROJECT_REGISTRY = Path(__file__).resolve().parents[3] / "config" / "providers.yml"
NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"


@pytest.fixture(scope="module")
def feed():
    return load_registry(PROJECT_REGISTRY).feed("alfa", "invoices")


def _invoice(lines: str, prefix: str = "p", body_head: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{prefix}:FatturaElettronica xmlns:{prefix}="{NS}" versione="FPR12">
  <FatturaElettronicaHeader>
    <CessionarioCommittente><DatiAnagrafici>
      <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdFiscaleIVA>
    </DatiAnagrafici></CessionarioCommittente>
  </FatturaElettronicaHeader>
  <FatturaElettronicaBody>
    <DatiGenerali><DatiGeneraliDocumento>
      <TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa>
      <Data>2026-02-03</Data>{body_head}
    </DatiGeneraliDocumento></DatiGenerali>
    <DatiBeniServizi>{lines}
      <DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA>
        <ImponibileImporto>30.00</ImponibileImporto><Imposta>6.60</Imposta></DatiRiepilogo>
    </DatiBeniServizi>
  </FatturaElettronicaBody>
</{prefix}:FatturaElettronica>"""


def _line(number: int, total: str = "10.00", extra: str = "") -> str:
    return f"""
      <DettaglioLinee><NumeroLinea>{number}</NumeroLinea>
        <CodiceArticolo><CodiceTipo>INTERNO</CodiceTipo><CodiceValore>X</CodiceValore></CodiceArticolo>
        <CodiceArticolo><CodiceTipo>SKU</CodiceTipo><CodiceValore>VM-L</CodiceValore></CodiceArticolo>
        <Descrizione>Canone VM L \u2013 febbraio €</Descrizione><Quantita>2.00</Quantita>
        <DataInizioPeriodo>2026-01-10</DataInizioPeriodo>
        <DataFinePeriodo>2026-01-31</DataFinePeriodo>
        <PrezzoUnitario>7.50</PrezzoUnitario><PrezzoTotale>{total}</PrezzoTotale>
        <AliquotaIVA>22.00</AliquotaIVA>{extra}
        <AltriDatiGestionali><TipoDato>ORDLINE</TipoDato>
          <RiferimentoTesto>SO-2026-000123-0{number}</RiferimentoTesto></AltriDatiGestionali>
      </DettaglioLinee>"""


def test_order_line_sku_and_period_come_from_the_line(tmp_path, feed):
    path = tmp_path / "IT01_1.xml"
    path.write_text(_invoice(_line(1), prefix="ns9", body_head="<Numero>F-1</Numero>"), "utf-8")
    line, summary = parse_fatturapa(path, feed)
    assert line.values["order_line_id"] == "SO-2026-000123-01"
    assert line.values["sku"] == "VM-L"
    assert line.values["customer_vat"] == "IT01234567890"
    assert line.values["description"] == "Canone VM L \u2013 febbraio €"
    assert (line.values["period_start"], line.values["period_end"]) == (
        date(2026, 1, 10),
        date(2026, 1, 31),
    )
    assert line.values["quantity"] == Decimal(2) and line.values["unit_price"] == Decimal("7.5")
    assert summary.values["vat_amount"] == Decimal("6.60")


def test_a_bad_line_is_rejected_and_the_others_load(tmp_path, feed):
    path = tmp_path / "IT01_2.xml"
    lines = _line(1) + _line(2, total="dieci") + _line(3, total="20.00")
    path.write_text(_invoice(lines, body_head="<Numero>F-2</Numero>"), "utf-8")
    items = list(parse_fatturapa(path, feed))
    assert [(i.source_row, type(i).__name__) for i in items] == [
        ("1/1", "Record"),
        ("1/2", "Rejection"),
        ("1/3", "Record"),
        ("1/R1", "Record"),
    ]
    assert (
        items[1].reason
        == 'body 1 line 2: PrezzoTotale "dieci" is not a decimal number like 1234.56'
    )
    assert "<NumeroLinea>2</NumeroLinea>" in items[1].raw


def test_a_body_without_its_number_rejects_each_of_its_rows(tmp_path, feed):
    path = tmp_path / "IT01_3.xml"
    path.write_text(_invoice(_line(1) + _line(2)), "utf-8")
    items = list(parse_fatturapa(path, feed))
    assert all(isinstance(i, Rejection) for i in items)
    assert [i.source_row for i in items] == ["1/1", "1/2", "1/R1"]
    assert items[0].reason == "body 1: Numero is missing"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE p:FatturaElettronica [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<p:FatturaElettronica xmlns:p="%s"><x>&lol9;</x></p:FatturaElettronica>""" % NS.encode()


def test_internal_entities_are_never_expanded(tmp_path, feed):
    small = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><r><x>&lol2;</x></r>'
    )
    serialized = etree.tostring(etree.fromstring(small, safe_parser()))
    assert b"&lol2;" in serialized
    assert b"lollol" not in serialized
    path = tmp_path / "IT01_4.xml"
    path.write_bytes(BILLION_LAUGHS)
    started = time.monotonic()
    with pytest.raises(FileUnreadable) as info:
        list(parse_fatturapa(path, feed))
    assert time.monotonic() - started < 1
    assert "lollol" not in str(info.value)


def test_external_entities_are_never_read(tmp_path, feed):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f'<p:FatturaElettronica xmlns:p="{NS}"><x>&xxe;</x></p:FatturaElettronica>'
    ).encode()
    root = etree.fromstring(xxe, safe_parser())
    assert b"TOP-SECRET" not in etree.tostring(root)
    path = tmp_path / "IT01_5.xml"
    path.write_bytes(xxe)
    with pytest.raises(FileUnreadable) as info:
        list(parse_fatturapa(path, feed))
    assert "TOP-SECRET" not in str(info.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"<p:FatturaElettronica xmlns:p='x'><Fattura", "not well-formed XML"),
        (b"<Ordine/>", "the root element is Ordine, not FatturaElettronica"),
        (f"<p:FatturaElettronica xmlns:p='{NS}'/>".encode(), "no FatturaElettronicaBody"),
    ],
)
def test_documents_that_are_not_invoices_are_unreadable(tmp_path, feed, content, problem):
    path = tmp_path / "IT01_6.xml"
    path.write_bytes(content)
    with pytest.raises(FileUnreadable, match=problem):
        list(parse_fatturapa(path, feed))


def _credit_note_lot() -> str:
    """Two bodies in one file: an invoice, then a credit note naming it (default prefix)."""
    invoice = _invoice(_line(1) + _line(2, total="20.00"), body_head="<Numero>F-9</Numero>")
    body = invoice[invoice.index("<FatturaElettronicaBody>") : invoice.index("</p:Fattura")]
    credit = (
        body.replace("<TipoDocumento>TD01</TipoDocumento>", "<TipoDocumento>TD04</TipoDocumento>")
        .replace("<Numero>F-9</Numero>", "<Numero>NC-1</Numero>")
        .replace(
            "</DatiGeneraliDocumento>",
            "</DatiGeneraliDocumento><DatiFattureCollegate><RiferimentoNumeroLinea>2"
            "</RiferimentoNumeroLinea><IdDocumento>F-9</IdDocumento></DatiFattureCollegate>",
        )
    )
    return invoice.replace("</p:FatturaElettronica>", credit + "</p:FatturaElettronica>")


def test_a_lot_of_two_bodies_and_a_credit_note_naming_its_invoice(tmp_path, feed):
    path = tmp_path / "IT01_7.xml"
    path.write_text(_credit_note_lot(), "utf-8")
    items = list(parse_fatturapa(path, feed))
    assert [i.source_row for i in items] == ["1/1", "1/2", "1/R1", "2/1", "2/2", "2/R1"]
    lines = [i.values for i in items if i.table == "invoice_lines"]
    assert [
        (v["invoice_number"], v["document_type"], v["related_invoice_number"]) for v in lines
    ] == [
        ("F-9", "TD01", None),
        ("F-9", "TD01", None),
        ("NC-1", "TD04", "F-9"),
        ("NC-1", "TD04", "F-9"),
    ]
    assert [v["net_amount"] for v in lines] == [Decimal("10.00"), Decimal("20.00")] * 2


def test_a_signed_p7m_file_parses_as_the_invoice_it_wraps(tmp_path, feed):
    xml = _credit_note_lot().encode()
    signed = wrap(
        xml, seed=5, signed_at=datetime(2026, 3, 2, tzinfo=UTC), not_before=date(2026, 1, 1)
    )
    plain, envelope = tmp_path / "IT01_8.xml", tmp_path / "IT01_8.xml.p7m"
    plain.write_bytes(xml)
    envelope.write_bytes(signed)
    assert list(parse_fatturapa(envelope, feed)) == list(parse_fatturapa(plain, feed))
    envelope.write_bytes(signed[:300])
    with pytest.raises(FileUnreadable, match="not a valid CAdES/PKCS#7 envelope"):
        list(parse_fatturapa(envelope, feed))
