"""The contract's row rules: a row that parses but breaks INPUT.md is rejected, with why."""

from __future__ import annotations

from pathlib import Path

import pytest

from backoffice.parsers.delimited import parse_delimited
from backoffice.parsers.records import Record, Rejection
from backoffice.parsers.tmf622 import parse_tmf622
from backoffice.registry import load_registry

REGISTRY = load_registry(Path(__file__).resolve().parents[3] / "config" / "providers.yml")
CRM_HEADER = (
    "order_id,order_line_id,customer_vat,customer_name,provider,sku,description,quantity,"
    "unit_price,vat_rate,signed_date,line_status,cancelled_date,updated_at"
)
OUTSIDE = "is outside 2000-01-01 to 2099-12-31"
NOT_STATUS = "is not one of signed, cancelled"
GOOD_CRM = {
    "order_id": "SO-1",
    "order_line_id": "SO-1-01",
    "customer_vat": "IT01234567890",
    "customer_name": "ACME",
    "provider": "alfa",
    "sku": "X",
    "description": "",
    "quantity": "2",
    "unit_price": "10.5",
    "vat_rate": "22.00",
    "signed_date": "2026-01-15",
    "line_status": "signed",
    "cancelled_date": "",
    "updated_at": "2026-01-15T10:00:00Z",
}


def _crm(tmp_path: Path, **changes: str) -> Record | Rejection:
    row = {**GOOD_CRM, **changes}
    path = tmp_path / "crm.csv"
    path.write_text(CRM_HEADER + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    (item,) = parse_delimited(path, REGISTRY.feed("crm", "signed_orders"))
    return item


def test_a_good_crm_row_loads(tmp_path):
    assert isinstance(_crm(tmp_path), Record)
    assert isinstance(_crm(tmp_path, line_status="cancelled", cancelled_date="2026-01-20"), Record)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"quantity": "-1"}, "row 1: quantity -1 is not greater than zero"),
        ({"quantity": "0"}, "row 1: quantity 0 is not greater than zero"),
        ({"unit_price": "-0.01"}, "row 1: unit_price -0.01 is negative"),
        ({"unit_price": "dieci"}, 'row 1: unit_price "dieci" is not a number like 1234.56'),
        ({"vat_rate": "122.00"}, "row 1: vat_rate 122.00 is not a percentage between 0 and 100"),
        ({"line_status": "pending"}, f"row 1: line_status 'pending' {NOT_STATUS}"),
        ({"line_status": "cancelled"}, "row 1: line_status is cancelled but cancelled_date is empty"),  # noqa: E501
        ({"signed_date": "1899-12-31"}, f"row 1: signed_date 1899-12-31 {OUTSIDE}"),
        ({"signed_date": "2999-01-01"}, f"row 1: signed_date 2999-01-01 {OUTSIDE}"),
        (
            {"line_status": "cancelled", "cancelled_date": "2026-01-10"},
            "row 1: cancelled_date 2026-01-10 is before signed_date 2026-01-15",
        ),
        (
            {"updated_at": "1970-01-01T00:00:00Z"},
            f"row 1: updated_at 1970-01-01T00:00:00+00:00 {OUTSIDE}",
        ),
        (
            {"quantity": "0", "line_status": "open"},
            f"row 1: quantity 0 is not greater than zero; line_status 'open' {NOT_STATUS}",
        ),
    ],
)  # fmt: skip
def test_a_crm_row_breaking_a_rule_is_rejected_with_the_rule(tmp_path, changes, reason):
    item = _crm(tmp_path, **changes)
    assert isinstance(item, Rejection)
    assert item.reason == reason
    assert item.raw.split(",")[0] == "SO-1"


def test_nuvola_rows_name_the_files_own_columns(tmp_path):
    header = (
        "id_ordine_fornitore;rif_ordine;rif_riga;codice_articolo;quantita;prezzo_unitario;"
        "data_inserimento"
    )
    rows = [
        "N-1;SO-1;SO-1-01;X;1;10,00;02/03/2026 10:00:00",
        "N-1;SO-1;SO-1-02;X;0;10,00;02/03/2026 10:00:00",
        "N-1;SO-1;SO-1-03;X;2;-1,00;02/03/2026 10:00:00",
        "N-1;SO-1;SO-1-04;X;2;1,00;02/03/1999 10:00:00",
    ]
    path = tmp_path / "ordini_1.csv"
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("cp1252"))
    items = list(parse_delimited(path, REGISTRY.feed("nuvola", "orders")))
    assert isinstance(items[0], Record)
    assert [i.reason for i in items[1:]] == [
        "row 2: quantita 0 is not greater than zero",
        "row 3: prezzo_unitario -1.00 is negative",
        f"row 4: data_inserimento 1999-03-02T09:00:00+00:00 {OUTSIDE}",
    ]


def test_nuvola_invoice_period_must_not_end_before_it_starts(tmp_path):
    header = (
        "numero_documento;tipo_documento;data_documento;rif_documento_collegato;cliente_piva;"
        "numero_riga;rif_riga;codice_articolo;descrizione;quantita;periodo_dal;periodo_al;"
        "prezzo_unitario;importo;aliquota_iva;imposta;valuta"
    )
    row = (
        "F-1;TD01;31/03/2026;;IT01234567890;1;SO-1-01;X;x;1;31/03/2026;01/03/2026;1,00;1,00;"
        "22,00;0,22;EUR"
    )
    path = tmp_path / "fatture_1.csv"
    path.write_bytes((header + "\r\n" + row + "\r\n").encode("cp1252"))
    (item,) = parse_delimited(path, REGISTRY.feed("nuvola", "invoices"))
    assert isinstance(item, Rejection)
    assert item.reason == "row 1: periodo_al 2026-03-01 is before periodo_dal 2026-03-31"


def _event(quantity: object, created: str = "2026-03-02T10:00:00+01:00") -> str:
    return (
        '{"eventId":"E1","eventType":"ProductOrderCreateEvent","event":{"productOrder":{'
        '"id":"A-1","externalId":[{"id":"SO-1","externalIdentifierType":"resellerOrder"}],'
        f'"creationDate":"{created}","productOrderItem":[{{"id":"SO-1-01","quantity":{quantity},'
        '"action":"add","productOffering":{"id":"X"},"itemPrice":[{"priceType":"recurring",'
        '"recurringChargePeriod":"month","price":{"dutyFreeAmount":{"unit":"EUR","value":9.5}}}]}]}}}'
    )


def test_tmf622_items_breaking_a_rule_are_rejected(tmp_path):
    path = tmp_path / "orders.ndjson"
    lines = [_event(1), _event(-2), _event(1, "1990-01-01T00:00:00+01:00")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(parse_tmf622(path, REGISTRY.feed("alfa", "orders")))
    assert isinstance(items[0], Record)
    assert [i.reason for i in items[1:]] == [
        "line 2: productOrderItem SO-1-01: quantity -2 is not greater than zero",
        "line 3: productOrderItem SO-1-01: productOrder.creationDate "
        f"1989-12-31T23:00:00+00:00 {OUTSIDE}",
    ]
