"""The bad-delivery corpus: what real landing zones receive beside good files, and what must
happen to each.

Every case is a file (or folder) written by hand here, into the delivery folder of one feed,
with its expected outcome:

- `loaded`: the file is loaded; each of its bad rows is quarantined with the reason given
  (the corpus's files hold only bad rows, so nothing they carry can change an exception);
- `quarantined`: the whole file is unreadable and kept as one quarantined row with the reason;
- `reported`: the entry is not where the registry expects a file: recorded as `unexpected`;
- `redelivery`: the same bytes were loaded before: recorded, not loaded again;
- `waits`: a delivery dated after the night: untouched until its own night.

`markdown_table()` renders the corpus for docs/bad-data.md; a test keeps the two equal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

NIGHT = date(2026, 3, 2)
DAY = "2026-03-02"
LATER = "2026-03-05"

LOADED, QUARANTINED, REPORTED, REDELIVERY, WAITS = (
    "loaded",
    "quarantined",
    "reported",
    "redelivery",
    "waits",
)


@dataclass(frozen=True)
class Case:
    """One bad delivery: where it lands, its bytes, and what the night must do with it."""

    name: str
    path: str  # relative to the landing zone; a trailing "/" makes a folder
    content: bytes | None  # None: a copy of the sample's first file of the feed (redelivery)
    outcome: str
    reason: str = ""  # part of the quarantine reason (or the manifest's error)
    rows_quarantined: int = 0
    what: str = ""  # for people: what is wrong

    @property
    def feed(self) -> str:
        return "/".join(self.path.split("/")[:2])

    @property
    def entry(self) -> str:
        """The path the manifest records: the folder for a folder case."""
        return self.path.rstrip("/")


# --- CRM: UTF-8 CSV, RFC 4180 -------------------------------------------------------------

CRM_HEADER = (
    "order_id,order_line_id,customer_vat,customer_name,provider,sku,description,quantity,"
    "unit_price,vat_rate,signed_date,line_status,cancelled_date,updated_at"
)
_CRM_ROW = {
    "order_id": "SO-2026-990001",
    "order_line_id": "SO-2026-990001-01",
    "customer_vat": "IT09876543210",
    "customer_name": "Bar Sport di Rossi",
    "provider": "nuvola",
    "sku": "VM-S",
    "description": "VM small",
    "quantity": "1",
    "unit_price": "12.5000",
    "vat_rate": "22.00",
    "signed_date": "2026-02-27",
    "line_status": "signed",
    "cancelled_date": "",
    "updated_at": "2026-02-27T16:00:00Z",
}


def crm(**changes: str) -> str:
    return ",".join({**_CRM_ROW, **changes}.values())


def crm_file(*rows: str, encoding: str = "utf-8", header: str = CRM_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


# --- Alfa: TMF622 v5 events, NDJSON ---------------------------------------------------------


def create_event(quantity: object = 1, value: object = 19.9, **order: object) -> str:
    event = {
        "eventId": "EV-990001",
        "eventTime": "2026-03-02T10:00:00+01:00",
        "eventType": "ProductOrderCreateEvent",
        "event": {
            "productOrder": {
                "id": "ALFA-990001",
                "creationDate": "2026-03-02T09:59:00+01:00",
                "externalId": [{"externalIdentifierType": "resellerOrder", "id": "SO-2026-990001"}],
                "productOrderItem": [
                    {
                        "id": "SO-2026-990001-01",
                        "quantity": quantity,
                        "action": "add",
                        "productOffering": {"id": "FIBRA-1G"},
                        "itemPrice": [
                            {
                                "priceType": "recurring",
                                "recurringChargePeriod": "month",
                                "price": {"dutyFreeAmount": {"unit": "EUR", "value": value}},
                            }
                        ],
                    }
                ],
                **order,
            }
        },
    }
    return json.dumps(event)


def state_event(**changes: object) -> str:
    event = {
        "eventId": "EV-990002",
        "eventTime": "2026-03-02T11:00:00+01:00",
        "eventType": "ProductOrderStateChangeEvent",
        "event": {
            "productOrder": {
                "id": "ALFA-990001",
                "itemStateChange": [{"itemId": "SO-2026-990001-01", "state": "acknowledged"}],
            }
        },
    }
    event.update(changes)
    return json.dumps(event)


def ndjson(*lines: str, prefix: bytes = b"") -> bytes:
    return prefix + ("\n".join(lines) + "\n").encode()


# --- Alfa: FatturaPA 1.2.2 ------------------------------------------------------------------

NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"


def invoice(
    *,
    numero: str = "<Numero>A-990001</Numero>",
    data: str = "2026-02-28",
    quantita: str = "1.00",
    totale: str = "19.90",
    rate: str = "22.00",
    start: str = "2026-02-01",
    end: str = "2026-02-28",
    doctype: str = "",
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>{doctype}
<p:FatturaElettronica xmlns:p="{NS}" versione="FPR12">
  <FatturaElettronicaHeader><CessionarioCommittente><DatiAnagrafici>
    <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>09876543210</IdCodice></IdFiscaleIVA>
  </DatiAnagrafici></CessionarioCommittente></FatturaElettronicaHeader>
  <FatturaElettronicaBody>
    <DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento>
      <Divisa>EUR</Divisa><Data>{data}</Data>{numero}</DatiGeneraliDocumento></DatiGenerali>
    <DatiBeniServizi>
      <DettaglioLinee><NumeroLinea>1</NumeroLinea>
        <CodiceArticolo><CodiceTipo>SKU</CodiceTipo><CodiceValore>FIBRA-1G</CodiceValore></CodiceArticolo>
        <Descrizione>Canone fibra</Descrizione><Quantita>{quantita}</Quantita>
        <DataInizioPeriodo>{start}</DataInizioPeriodo><DataFinePeriodo>{end}</DataFinePeriodo>
        <PrezzoUnitario>19.90</PrezzoUnitario><PrezzoTotale>{totale}</PrezzoTotale>
        <AliquotaIVA>22.00</AliquotaIVA>
        <AltriDatiGestionali><TipoDato>ORDLINE</TipoDato>
          <RiferimentoTesto>SO-2026-990001-01</RiferimentoTesto></AltriDatiGestionali>
      </DettaglioLinee>
      <DatiRiepilogo><AliquotaIVA>{rate}</AliquotaIVA>
        <ImponibileImporto>19.90</ImponibileImporto><Imposta>4.38</Imposta></DatiRiepilogo>
    </DatiBeniServizi>
  </FatturaElettronicaBody>
</p:FatturaElettronica>
""".encode()


ENTITY_BOMB = (
    '\n<!DOCTYPE p:FatturaElettronica [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
EXTERNAL_ENTITY = '\n<!DOCTYPE p:FatturaElettronica [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def detached_signature() -> bytes:
    """A PKCS#7 SignedData that signs nothing inside it (a detached signature)."""
    from asn1crypto import cms

    return cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": cms.SignedData(
                {
                    "version": "v1",
                    "digest_algorithms": [],
                    "encap_content_info": {"content_type": "data"},
                    "signer_infos": [],
                }
            ),
        }
    ).dump()


# --- Nuvola: Italian-locale CSV, Windows-1252 ----------------------------------------------

NUVOLA_ORDERS = (
    "id_ordine_fornitore;rif_ordine;rif_riga;codice_articolo;quantita;prezzo_unitario;"
    "data_inserimento"
)
NUVOLA_EVENTS = "id_evento;id_ordine_fornitore;rif_riga;stato;data_ora;motivo"
NUVOLA_INVOICES = (
    "numero_documento;tipo_documento;data_documento;rif_documento_collegato;cliente_piva;"
    "numero_riga;rif_riga;codice_articolo;descrizione;quantita;periodo_dal;periodo_al;"
    "prezzo_unitario;importo;aliquota_iva;imposta;valuta"
)


def nuvola_order(quantita: str = "1", prezzo: str = "12,50", when: str = "02/03/2026 09:30:00"):
    return f"NV-990001;SO-2026-990001;SO-2026-990001-01;VM-S;{quantita};{prezzo};{when}"


def nuvola_event(stato: str = "INSERITO", when: str = "02/03/2026 10:00:00", motivo: str = ""):
    return f"NE-990001;NV-990001;SO-2026-990001-01;{stato};{when};{motivo}"


def nuvola_invoice(
    dal: str = "01/02/2026", al: str = "28/02/2026", importo: str = "12,50", aliquota="22,00"
) -> str:
    return (
        f"NF-990001;TD01;28/02/2026;;IT09876543210;1;SO-2026-990001-01;VM-S;VM small «€»;1;"
        f"{dal};{al};12,50;{importo};{aliquota};2,75;EUR"
    )


def nuvola_file(header: str, *rows: str, encoding: str = "cp1252", sep: str = ";") -> bytes:
    lines = [header.replace(";", sep), *(r.replace(";", sep) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

CRM = f"crm/signed_orders/{DAY}"
ORDERS = f"alfa/orders/{DAY}"
EVENTS = f"alfa/activations/{DAY}"
INVOICES = f"alfa/invoices/{DAY}"
N_ORDERS = f"nuvola/orders/{DAY}"
N_EVENTS = f"nuvola/activations/{DAY}"
N_INVOICES = f"nuvola/invoices/{DAY}"
OUTSIDE = "2000-01-01 to 2099-12-31"

CASES: tuple[Case, ...] = (
    # --- CRM rows breaking the contract's rules
    Case("crm-negative-quantity", f"{CRM}/zz_bad_01.csv", crm_file(crm(quantity="-1")), LOADED,
         "quantity -1 is not greater than zero", 1, "a negative quantity"),
    Case("crm-zero-quantity", f"{CRM}/zz_bad_02.csv", crm_file(crm(quantity="0")), LOADED,
         "quantity 0 is not greater than zero", 1, "a zero quantity"),
    Case("crm-unknown-status", f"{CRM}/zz_bad_03.csv", crm_file(crm(line_status="pending")),
         LOADED, "line_status 'pending' is not one of signed, cancelled", 1,
         "an unknown line_status"),
    Case("crm-price-not-a-number", f"{CRM}/zz_bad_04.csv", crm_file(crm(unit_price="12.50 EUR")),
         LOADED, 'unit_price "12.50 EUR" is not a number', 1, "a price with its currency"),
    Case("crm-negative-price", f"{CRM}/zz_bad_05.csv", crm_file(crm(unit_price="-3.00")), LOADED,
         "unit_price -3.00 is negative", 1, "a negative price"),
    Case("crm-date-out-of-range", f"{CRM}/zz_bad_06.csv", crm_file(crm(signed_date="1900-01-01")),
         LOADED, f"signed_date 1900-01-01 is outside {OUTSIDE}", 1, "a signature in 1900"),
    Case("crm-impossible-date", f"{CRM}/zz_bad_07.csv", crm_file(crm(signed_date="2026-02-30")),
         LOADED, 'signed_date "2026-02-30" is not a date', 1, "30 February"),
    Case("crm-cancelled-without-date", f"{CRM}/zz_bad_08.csv",
         crm_file(crm(line_status="cancelled")), LOADED,
         "line_status is cancelled but cancelled_date is empty", 1, "cancelled, but when?"),
    Case("crm-vat-rate-over-100", f"{CRM}/zz_bad_09.csv", crm_file(crm(vat_rate="220.00")),
         LOADED, "vat_rate 220.00 is not a percentage between 0 and 100", 1, "VAT of 220%"),
    Case("crm-missing-line-id", f"{CRM}/zz_bad_10.csv", crm_file(crm(order_line_id="")), LOADED,
         "order_line_id is empty", 1, "a required field left empty"),
    Case("crm-short-row", f"{CRM}/zz_bad_11.csv", crm_file("SO-2026-990001,SO-2026-990001-01"),
         LOADED, "has 2 fields, the header has 14", 1, "a row cut short"),
    Case("crm-bom-and-bad-row", f"{CRM}/zz_bad_12.csv",
         b"\xef\xbb\xbf" + crm_file(crm(quantity="-2")), LOADED,
         "quantity -2 is not greater than zero", 1, "a UTF-8 byte-order mark (handled)"),
    # --- CRM files that cannot be read
    Case("crm-wrong-delimiter", f"{CRM}/zz_bad_13.csv",
         crm_file(crm().replace(",", ";"), header=CRM_HEADER.replace(",", ";")), QUARANTINED,
         "the header lacks column(s)", 0, "semicolons instead of commas"),
    Case("crm-renamed-column", f"{CRM}/zz_bad_14.csv",
         crm_file(crm(), header=CRM_HEADER.replace("order_line_id", "line_id")), QUARANTINED,
         "the header lacks column(s) ['order_line_id']", 0, "a renamed column"),
    Case("crm-empty-file", f"{CRM}/zz_bad_15.csv", b"", QUARANTINED, "the file is empty", 0,
         "zero bytes"),
    Case("crm-windows-1252", f"{CRM}/zz_bad_16.csv",
         crm_file(crm(customer_name="Caffè Più"), encoding="cp1252"), QUARANTINED,
         "the file is not valid utf-8-sig", 0, "Windows-1252 in a UTF-8 feed"),
    Case("crm-utf16", f"{CRM}/zz_bad_17.csv", crm_file(crm(), encoding="utf-16"), QUARANTINED,
         "UTF-16 byte-order mark", 0, "UTF-16 with its byte-order mark"),
    Case("crm-binary", f"{CRM}/zz_bad_18.csv", PNG, QUARANTINED, "is not valid utf-8-sig", 0,
         "an image named .csv"),
    Case("crm-wrong-name", f"{CRM}/zz_bad_19.xlsx", b"PK\x03\x04", QUARANTINED,
         "matches none of the feed's patterns", 0, "a spreadsheet"),
    # --- Alfa orders (TMF622 NDJSON)
    Case("tmf-negative-quantity", f"{ORDERS}/zz_bad_01.ndjson", ndjson(create_event(quantity=-1)),
         LOADED, "quantity -1 is not greater than zero", 1, "a negative quantity"),
    Case("tmf-zero-quantity", f"{ORDERS}/zz_bad_02.ndjson", ndjson(create_event(quantity=0)),
         LOADED, "quantity 0 is not greater than zero", 1, "a zero quantity"),
    Case("tmf-price-as-text", f"{ORDERS}/zz_bad_03.ndjson", ndjson(create_event(value="19,90")),
         LOADED, "is not a JSON number", 1, "a price written as text"),
    Case("tmf-invalid-json", f"{ORDERS}/zz_bad_04.ndjson", ndjson(create_event()[:80]), LOADED,
         "not valid JSON", 1, "an event cut in half"),
    Case("tmf-wrong-event-type", f"{ORDERS}/zz_bad_05.ndjson", ndjson(state_event()), LOADED,
         "is not ProductOrderCreateEvent", 1, "a state change in the orders feed"),
    Case("tmf-no-utc-offset", f"{ORDERS}/zz_bad_06.ndjson",
         ndjson(create_event(creationDate="2026-03-02T09:59:00")), LOADED, "has no UTC offset", 1,
         "a time without its offset"),
    Case("tmf-date-out-of-range", f"{ORDERS}/zz_bad_07.ndjson",
         ndjson(create_event(creationDate="1999-12-31T09:59:00+01:00")), LOADED,
         f"is outside {OUTSIDE}", 1, "an order created in 1999"),
    Case("tmf-json-array", f"{ORDERS}/zz_bad_08.ndjson", ndjson("[1, 2, 3]"), LOADED,
         "is not a JSON object", 1, "an array, not an event"),
    Case("tmf-bom-and-bad-line", f"{ORDERS}/zz_bad_09.ndjson",
         ndjson(create_event(quantity=-5), prefix=b"\xef\xbb\xbf"), LOADED,
         "quantity -5 is not greater than zero", 1, "a byte-order mark (handled)"),
    Case("tmf-latin1", f"{ORDERS}/zz_bad_10.ndjson",
         ndjson(create_event()).replace(b"FIBRA-1G", "FIBRA-1G Più".encode("latin-1")),
         QUARANTINED, "the file is not valid utf-8", 0, "Latin-1 bytes in a UTF-8 feed"),
    # --- Alfa activations (TMF622 NDJSON)
    Case("tmf-no-item-states", f"{EVENTS}/zz_bad_01.ndjson",
         ndjson(state_event(event={"productOrder": {"id": "ALFA-990001"}})), LOADED,
         "itemStateChange is missing or empty", 1, "a state change of nothing"),
    Case("tmf-impossible-time", f"{EVENTS}/zz_bad_02.ndjson",
         ndjson(state_event(eventTime="2026-02-30T10:00:00+01:00")), LOADED,
         "is not an ISO 8601 date and time", 1, "30 February"),
    Case("tmf-missing-event-id", f"{EVENTS}/zz_bad_03.ndjson", ndjson(state_event(eventId="")),
         LOADED, "eventId is missing", 1, "an event without its id"),
    Case("tmf-empty-file", f"{EVENTS}/zz_bad_04.ndjson", b"", LOADED, "", 0,
         "zero bytes: nothing to load, nothing lost"),
    # --- Alfa invoices (FatturaPA)
    Case("fpa-truncated", f"{INVOICES}/IT09876543210_ZZ001.xml", invoice()[:400], QUARANTINED,
         "not well-formed XML", 0, "an invoice cut in half"),
    Case("fpa-entity-bomb", f"{INVOICES}/IT09876543210_ZZ002.xml", invoice(doctype=ENTITY_BOMB),
         QUARANTINED, "declares a DOCTYPE", 0, "an entity bomb"),
    Case("fpa-external-entity", f"{INVOICES}/IT09876543210_ZZ003.xml",
         invoice(doctype=EXTERNAL_ENTITY), QUARANTINED, "declares a DOCTYPE", 0,
         "an external entity (XXE)"),
    Case("fpa-wrong-root", f"{INVOICES}/IT09876543210_ZZ004.xml", b"<Ordine><n>1</n></Ordine>",
         QUARANTINED, "the root element is Ordine", 0, "not an invoice"),
    Case("fpa-broken-envelope", f"{INVOICES}/IT09876543210_ZZ005.xml.p7m",
         b"\x30\x82\x01\x00broken", QUARANTINED, "not a valid CAdES/PKCS#7 envelope", 0,
         "a signature envelope cut short"),
    Case("fpa-detached-signature", f"{INVOICES}/IT09876543210_ZZ006.xml.p7m",
         detached_signature(), QUARANTINED, "holds no content (detached signature)", 0,
         "a signature without the invoice"),
    Case("fpa-wrong-name", f"{INVOICES}/fattura_marzo.xml", invoice(), QUARANTINED,
         "matches none of the feed's patterns", 0, "not named IT<vat>_<n>.xml"),
    Case("fpa-no-number", f"{INVOICES}/IT09876543210_ZZ007.xml", invoice(numero=""), LOADED,
         "Numero is missing", 2, "an invoice without its number: line and summary"),
    Case("fpa-date-out-of-range", f"{INVOICES}/IT09876543210_ZZ008.xml",
         invoice(data="1999-12-31"), LOADED, f"Data 1999-12-31 is outside {OUTSIDE}", 2,
         "an invoice dated 1999: line and summary"),
    Case("fpa-bad-line-and-summary", f"{INVOICES}/IT09876543210_ZZ009.xml",
         invoice(quantita="-1.00", rate="122.00"), LOADED,
         "Quantita -1.00 is not greater than zero", 2,
         "a negative Quantita and a VAT rate of 122%"),
    Case("fpa-period-reversed", f"{INVOICES}/IT09876543210_ZZ010.xml",
         invoice(start="2026-02-28", end="2026-02-01", rate="-1.00"), LOADED,
         "DataFinePeriodo 2026-02-01 is before DataInizioPeriodo 2026-02-28", 2,
         "a period ending before it starts; a negative VAT rate"),
    # --- Nuvola orders (cp1252 CSV)
    Case("nuvola-zero-quantity", f"{N_ORDERS}/ordini_zz_01.csv",
         nuvola_file(NUVOLA_ORDERS, nuvola_order(quantita="0")), LOADED,
         "quantita 0 is not greater than zero", 1, "a zero quantity"),
    Case("nuvola-quantity-in-words", f"{N_ORDERS}/ordini_zz_02.csv",
         nuvola_file(NUVOLA_ORDERS, nuvola_order(quantita="due")), LOADED,
         'quantita "due" is not a whole number', 1, "a quantity in words"),
    Case("nuvola-decimal-dot", f"{N_ORDERS}/ordini_zz_03.csv",
         nuvola_file(NUVOLA_ORDERS, nuvola_order(prezzo="12.50")), LOADED,
         'prezzo_unitario "12.50" is not a number like 1.234,56', 1, "a decimal point"),
    Case("nuvola-impossible-time", f"{N_ORDERS}/ordini_zz_04.csv",
         nuvola_file(NUVOLA_ORDERS, nuvola_order(when="30/02/2026 09:30:00")), LOADED,
         'data_inserimento "30/02/2026 09:30:00" is not a date and time', 1, "30 February"),
    Case("nuvola-utf8-mojibake", f"{N_ORDERS}/ordini_zz_05.csv",
         nuvola_file(NUVOLA_ORDERS, nuvola_order(), encoding="utf-8").replace(
             b"VM-S", "VM-S «€»".encode()), QUARANTINED,
         "the file is UTF-8 (it holds valid UTF-8 multi-byte sequences), but nuvola/orders is "
         "declared cp1252", 0, "UTF-8 in the Windows-1252 feed"),
    Case("nuvola-comma-delimiter", f"{N_ORDERS}/ordini_zz_06.csv",
         nuvola_file(NUVOLA_ORDERS, nuvola_order().replace(",", "."), sep=","), QUARANTINED,
         "the header lacks column(s)", 0, "commas instead of semicolons"),
    Case("nuvola-renamed-column", f"{N_ORDERS}/ordini_zz_07.csv",
         nuvola_file(NUVOLA_ORDERS.replace("quantita", "qta"), nuvola_order()), QUARANTINED,
         "the header lacks column(s) ['quantita']", 0, "a renamed column"),
    # --- Nuvola activations
    Case("nuvola-date-out-of-range", f"{N_EVENTS}/attivazioni_zz_01.csv",
         nuvola_file(NUVOLA_EVENTS, nuvola_event(when="01/01/1900 10:00:00")), LOADED,
         f"is outside {OUTSIDE}", 1, "an event in 1900"),
    Case("nuvola-empty-state", f"{N_EVENTS}/attivazioni_zz_02.csv",
         nuvola_file(NUVOLA_EVENTS, nuvola_event(stato="")), LOADED, "stato is empty", 1,
         "a state change without a state"),
    Case("nuvola-undefined-byte", f"{N_EVENTS}/attivazioni_zz_03.csv",
         nuvola_file(NUVOLA_EVENTS, nuvola_event(motivo="attesa")).replace(b"attesa", b"att\x81sa"),
         QUARANTINED, "byte 0x81", 0, "a byte Windows-1252 does not define"),
    Case("nuvola-bom-and-bad-row", f"{N_EVENTS}/attivazioni_zz_04.csv",
         b"\xef\xbb\xbf" + nuvola_file(NUVOLA_EVENTS, nuvola_event(when="31/04/2026 10:00:00")),
         LOADED, 'data_ora "31/04/2026 10:00:00" is not a date and time', 1,
         "a UTF-8 byte-order mark on ASCII text (handled)"),
    # --- Nuvola invoices
    Case("nuvola-period-reversed", f"{N_INVOICES}/fatture_zz_01.csv",
         nuvola_file(NUVOLA_INVOICES, nuvola_invoice(dal="28/02/2026", al="01/02/2026")), LOADED,
         "periodo_al 2026-02-01 is before periodo_dal 2026-02-28", 1, "a period backwards"),
    Case("nuvola-amount-not-available", f"{N_INVOICES}/fatture_zz_02.csv",
         nuvola_file(NUVOLA_INVOICES, nuvola_invoice(importo="n.d.")), LOADED,
         'importo "n.d." is not a number', 1, "an amount written n.d."),
    Case("nuvola-vat-over-100", f"{N_INVOICES}/fatture_zz_03.csv",
         nuvola_file(NUVOLA_INVOICES, nuvola_invoice(aliquota="122,00")), LOADED,
         "aliquota_iva 122.00 is not a percentage between 0 and 100", 1, "VAT of 122%"),
    Case("nuvola-one-utf8-row", f"{N_INVOICES}/fatture_zz_04.csv",
         nuvola_file(NUVOLA_INVOICES, nuvola_invoice(importo="n.d.")).replace(b"VM small", b"\xe8")
         + nuvola_invoice().replace("VM small «€»", "Più «€»").encode() + b"\r\n", LOADED,
         "would load as mojibake", 2, "one row written in UTF-8 in a Windows-1252 file"),
    # --- what the registry does not expect: reported, never loaded, never invisible
    Case("folder-not-a-date", "crm/signed_orders/2026-3-2/", None, REPORTED,
         "whose name is not a delivery date", 0, "a delivery folder named 2026-3-2"),
    Case("file-outside-delivery", "alfa/orders/orders_loose.ndjson", ndjson(create_event()),
         REPORTED, "outside any delivery folder", 0, "a file directly in the feed folder"),
    Case("unknown-source", "beta/", None, REPORTED, "a folder that is no source of the registry",
         0, "a provider nobody configured"),
    Case("unknown-feed", "nuvola/contratti/", None, REPORTED, "a folder that is no feed of nuvola",
         0, "a feed nobody configured"),
    Case("file-at-the-root", "LEGGIMI.txt", b"consegna di marzo\n", REPORTED,
         "directly in the landing zone", 0, "a note at the top"),
    Case("folder-in-delivery", f"{N_ORDERS}/archivio/", None, REPORTED,
         "a folder inside a delivery folder", 0, "a sub-folder of a delivery"),
    # --- bytes seen before, and deliveries for a later night
    Case("redelivered-file", f"{CRM}/zz_copy_of_first.csv", None, REDELIVERY, "", 0,
         "the sample's first CRM file, again"),
    Case("delivery-dated-later", f"crm/signed_orders/{LATER}/zz_later.csv",
         crm_file(crm(quantity="-7")), WAITS, "", 0, "dated after the night"),
)  # fmt: skip

# What a folder case holds (a file inside, so that the folder is not empty).
FOLDER_CONTENT = ("dentro.csv", b"order_id\nSO-1\n")


def markdown_table() -> str:
    """The corpus as the Markdown table of docs/bad-data.md."""
    rows = [
        "| case | lands in | what is wrong | outcome | reason (part) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for case in CASES:
        outcome = case.outcome
        if outcome == LOADED:
            outcome = f"loaded, {case.rows_quarantined} row(s) quarantined"
        reason = case.reason.replace("|", "\\|")
        rows.append(
            f"| {case.name} | `{case.entry.rsplit('/', 1)[0] if '/' in case.entry else '.'}` "
            f"| {case.what} | {outcome} | "
            f"{'`' + reason + '`' if reason else ''} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
