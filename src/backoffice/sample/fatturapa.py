"""FatturaPA 1.2.2 (FPR12) documents for Alfa's invoices and credit notes.

Text templates rather than a DOM: thousands of small files are written and the
output must be byte-stable. Child elements are unqualified, as the XSD requires, so
only the root carries the (varying) namespace prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape

from backoffice.sample.catalogue import ProviderInfo
from backoffice.sample.model import Customer
from backoffice.sample.money import fmt2, round2

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
PREFIXES = ("p", "ns2", "p", "ns3", "ns0", "p", "fe", "ns1")
_SCHEMA_LOCATION = (
    f"{NAMESPACE} https://www.fatturapa.gov.it/export/documenti/fatturapa/v1.2.2/"
    "Schema_del_file_xml_FatturaPA_v1.2.2.xsd"
)
_ROOT_ATTRIBUTES = (
    'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'versione="FPR12" xsi:schemaLocation="{_SCHEMA_LOCATION}"'
)
_TO_LATIN1 = str.maketrans({"\u2013": "-", "\u2014": "-", "\u20ac": "EUR", "\u2019": "'"})


def latin(text: str) -> str:
    """FatturaPA text is Basic Latin + Latin-1; map the few cp1252-only characters."""
    return escape(text.translate(_TO_LATIN1))


@dataclass(frozen=True, slots=True)
class BodyLine:
    number: int
    sku: str
    description: str
    quantity: Decimal
    start: date
    end: date
    unit_price: Decimal
    net: Decimal
    vat_rate: Decimal
    order_line_id: str


@dataclass(frozen=True, slots=True)
class Body:
    doc_type: str
    issued: date
    number: str
    related_number: str
    related_date: date | None
    lines: list[BodyLine]

    def summaries(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """(rate, taxable, tax) per VAT rate, as the provider's billing system sums them."""
        by_rate: dict[Decimal, Decimal] = {}
        for line in self.lines:
            by_rate[line.vat_rate] = by_rate.get(line.vat_rate, Decimal(0)) + line.net
        return [
            (r, round2(t), round2(t * r / 100)) for r, t in sorted(by_rate.items(), reverse=True)
        ]


def _price(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.0001')):f}"
    return text[:-2] if text.endswith("00") else text


def _line(line: BodyLine) -> str:
    return f"""      <DettaglioLinee>
        <NumeroLinea>{line.number}</NumeroLinea>
        <CodiceArticolo>
          <CodiceTipo>SKU</CodiceTipo>
          <CodiceValore>{escape(line.sku)}</CodiceValore>
        </CodiceArticolo>
        <Descrizione>{latin(line.description)}</Descrizione>
        <Quantita>{line.quantity:.2f}</Quantita>
        <DataInizioPeriodo>{line.start.isoformat()}</DataInizioPeriodo>
        <DataFinePeriodo>{line.end.isoformat()}</DataFinePeriodo>
        <PrezzoUnitario>{_price(line.unit_price)}</PrezzoUnitario>
        <PrezzoTotale>{fmt2(line.net)}</PrezzoTotale>
        <AliquotaIVA>{line.vat_rate:.2f}</AliquotaIVA>
        <AltriDatiGestionali>
          <TipoDato>ORDLINE</TipoDato>
          <RiferimentoTesto>{escape(line.order_line_id)}</RiferimentoTesto>
        </AltriDatiGestionali>
      </DettaglioLinee>
"""


def _body(body: Body) -> str:
    summaries = body.summaries()
    total = sum((t + v for _, t, v in summaries), Decimal(0))
    kind = (
        "Nota di credito"
        if body.doc_type == "TD04"
        else "Canoni mensili servizi di telecomunicazione"
    )
    related = ""
    if body.doc_type == "TD04":
        related_date = (
            f"\n        <Data>{body.related_date.isoformat()}</Data>" if body.related_date else ""
        )
        related = f"""      <DatiFattureCollegate>
        <IdDocumento>{escape(body.related_number)}</IdDocumento>{related_date}
      </DatiFattureCollegate>
"""
    riepilogo = "".join(
        f"""      <DatiRiepilogo>
        <AliquotaIVA>{rate:.2f}</AliquotaIVA>
        <ImponibileImporto>{fmt2(taxable)}</ImponibileImporto>
        <Imposta>{fmt2(tax)}</Imposta>
        <EsigibilitaIVA>I</EsigibilitaIVA>
      </DatiRiepilogo>
"""
        for rate, taxable, tax in summaries
    )
    due = body.issued + timedelta(days=30)
    return f"""  <FatturaElettronicaBody>
    <DatiGenerali>
      <DatiGeneraliDocumento>
        <TipoDocumento>{body.doc_type}</TipoDocumento>
        <Divisa>EUR</Divisa>
        <Data>{body.issued.isoformat()}</Data>
        <Numero>{escape(body.number)}</Numero>
        <ImportoTotaleDocumento>{fmt2(total)}</ImportoTotaleDocumento>
        <Causale>{kind}</Causale>
      </DatiGeneraliDocumento>
{related}    </DatiGenerali>
    <DatiBeniServizi>
{"".join(_line(line) for line in body.lines)}{riepilogo}    </DatiBeniServizi>
    <DatiPagamento>
      <CondizioniPagamento>TP02</CondizioniPagamento>
      <DettaglioPagamento>
        <ModalitaPagamento>MP05</ModalitaPagamento>
        <DataScadenzaPagamento>{due.isoformat()}</DataScadenzaPagamento>
        <ImportoPagamento>{fmt2(total)}</ImportoPagamento>
      </DettaglioPagamento>
    </DatiPagamento>
  </FatturaElettronicaBody>
"""


def _party(vat: str, name: str, street: str, cap: str, city: str, province: str) -> str:
    return f"""      <DatiAnagrafici>
        <IdFiscaleIVA>
          <IdPaese>IT</IdPaese>
          <IdCodice>{vat}</IdCodice>
        </IdFiscaleIVA>
        <Anagrafica>
          <Denominazione>{latin(name)}</Denominazione>
        </Anagrafica>{{regime}}
      </DatiAnagrafici>
      <Sede>
        <Indirizzo>{latin(street)}</Indirizzo>
        <CAP>{cap}</CAP>
        <Comune>{latin(city)}</Comune>
        <Provincia>{province}</Provincia>
        <Nazione>IT</Nazione>
      </Sede>
"""


def document(
    *,
    prefix: str,
    progressive: str,
    provider: ProviderInfo,
    customer: Customer,
    recipient_code: str,
    bodies: list[Body],
) -> bytes:
    """One FatturaElettronica file holding one or more invoices (bodies) for one customer."""
    seller = _party(
        provider.vat, provider.name, provider.street, provider.cap, provider.city, provider.province
    ).replace("{regime}", "\n        <RegimeFiscale>RF01</RegimeFiscale>")
    buyer = _party(
        customer.vat[2:],
        customer.name,
        customer.street,
        customer.cap,
        customer.city,
        customer.province,
    ).replace("{regime}", "")
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<{prefix}:FatturaElettronica xmlns:{prefix}="{NAMESPACE}" {_ROOT_ATTRIBUTES}>
  <FatturaElettronicaHeader>
    <DatiTrasmissione>
      <IdTrasmittente>
        <IdPaese>IT</IdPaese>
        <IdCodice>{provider.vat}</IdCodice>
      </IdTrasmittente>
      <ProgressivoInvio>{progressive}</ProgressivoInvio>
      <FormatoTrasmissione>FPR12</FormatoTrasmissione>
      <CodiceDestinatario>{recipient_code}</CodiceDestinatario>
    </DatiTrasmissione>
    <CedentePrestatore>
{seller}    </CedentePrestatore>
    <CessionarioCommittente>
{buyer}    </CessionarioCommittente>
  </FatturaElettronicaHeader>
{"".join(_body(b) for b in bodies)}</{prefix}:FatturaElettronica>
"""
    return text.encode("utf-8")
