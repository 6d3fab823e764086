"""Reading a landed record back as its bytes, and column lineage through CTEs (no night needed)."""

from __future__ import annotations

import hashlib

import pytest

from backoffice.audit.columns import model_column_lineage, split_ctes
from backoffice.audit.landed import RecordNotFoundError, read_record

CSV = (
    b"order_id,description,unit_price\r\n"
    b'SO-1,"Fibra, 1 Gbit/s",10.00\r\n'
    b'SO-2,"two\r\nlines ""quoted""",12.50\r\n'
    b"SO-3,plain,1.00\r\n"
)
NUVOLA = "numero;descrizione;importo\r\nFT-1;Caffè già pronto;1.234,56\r\n".encode("cp1252")
NDJSON = b'{"eventId": "a"}\n{"eventId": "b", "x": "\xc3\xa8"}\n'
FATTURA = b"""<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
  <FatturaElettronicaHeader/>
  <FatturaElettronicaBody>
    <DatiBeniServizi>
      <DettaglioLinee><NumeroLinea>1</NumeroLinea><PrezzoTotale>10.00</PrezzoTotale></DettaglioLinee>
      <DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA><Imposta>2.20</Imposta></DatiRiepilogo>
    </DatiBeniServizi>
  </FatturaElettronicaBody>
  <FatturaElettronicaBody>
    <DatiBeniServizi>
      <DettaglioLinee><NumeroLinea>1</NumeroLinea><PrezzoTotale>5.00</PrezzoTotale></DettaglioLinee>
      <DettaglioLinee>
        <NumeroLinea>2</NumeroLinea>
        <PrezzoTotale>7.50</PrezzoTotale>
      </DettaglioLinee>
    </DatiBeniServizi>
  </FatturaElettronicaBody>
</p:FatturaElettronica>
"""


@pytest.fixture
def landing(tmp_path):
    files = {
        "crm/signed_orders/2026-03-02/orders.csv": CSV,
        "nuvola/invoices/2026-03-02/fatture.csv": NUVOLA,
        "alfa/orders/2026-03-02/orders.ndjson": NDJSON,
        "alfa/invoices/2026-03-02/IT01234567890_00001.xml": FATTURA,
    }
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_a_landed_record_is_its_exact_bytes(landing) -> None:
    crm = "crm/signed_orders/2026-03-02/orders.csv"
    sha = hashlib.sha256(CSV).hexdigest()
    assert read_record(landing, crm, "1", sha).raw == b'SO-1,"Fibra, 1 Gbit/s",10.00'
    assert read_record(landing, crm, "2", sha).raw == b'SO-2,"two\r\nlines ""quoted""",12.50'
    assert read_record(landing, crm, "3", sha).raw == b"SO-3,plain,1.00"
    nuvola = read_record(landing, "nuvola/invoices/2026-03-02/fatture.csv", "1")
    assert nuvola.text == "FT-1;Caffè già pronto;1.234,56" and nuvola.raw in NUVOLA
    line = read_record(landing, "alfa/orders/2026-03-02/orders.ndjson", "2")
    assert line.text == '{"eventId": "b", "x": "è"}'
    invoice = "alfa/invoices/2026-03-02/IT01234567890_00001.xml"
    second = read_record(landing, invoice, "2/2")
    assert second.raw in FATTURA and b"<PrezzoTotale>7.50</PrezzoTotale>" in second.raw
    assert b"5.00" in read_record(landing, invoice, "2/1").raw
    assert b"<Imposta>2.20</Imposta>" in read_record(landing, invoice, "1/R1").raw


def test_a_changed_or_missing_record_is_said_not_guessed(landing) -> None:
    crm = "crm/signed_orders/2026-03-02/orders.csv"
    with pytest.raises(RecordNotFoundError, match="differs"):
        read_record(landing, crm, "1", "0" * 64)
    with pytest.raises(RecordNotFoundError, match="no row 9"):
        read_record(landing, crm, "9")
    with pytest.raises(RecordNotFoundError, match="no longer"):
        read_record(landing, "crm/signed_orders/2026-03-02/gone.csv", "1")


def test_column_lineage_follows_ctes_and_stars_to_tables() -> None:
    sql = """
    with
    lines as (select * from "warehouse"."raw"."invoice_lines"),
    crm as (select * from "warehouse"."raw"."crm_signed_orders"),
    judged as (
        select lines.net_amount - crm.quantity * crm.unit_price as difference_eur, lines.provider
        from lines inner join crm on lines.order_line_id = crm.order_line_id
    ),
    final as (select judged.*, 'x' as tag from judged)
    select * from final
    """
    ctes, final = split_ctes(sql)
    assert [name for name, _ in ctes] == ["lines", "crm", "judged", "final"]
    assert final.strip() == "select * from final"
    lineage = model_column_lineage(sql, ["difference_eur", "provider", "tag"])
    assert lineage["difference_eur"] == {
        ("warehouse.raw.invoice_lines", "net_amount"),
        ("warehouse.raw.crm_signed_orders", "quantity"),
        ("warehouse.raw.crm_signed_orders", "unit_price"),
    }
    assert lineage["provider"] == {("warehouse.raw.invoice_lines", "provider")}
    assert lineage["tag"] == set()
