"""Registry-described CSV: the CRM export (RFC 4180) and Nuvola's Italian-locale files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.parsers.delimited import parse_delimited
from backoffice.parsers.records import FileUnreadable, Record, Rejection
from backoffice.registry import load_registry

PROJECT_REGISTRY = Path(__file__).resolve().parents[3] / "config" / "providers.yml"
CRM_HEADER = (
    "order_id,order_line_id,customer_vat,customer_name,provider,sku,description,quantity,"
    "unit_price,vat_rate,signed_date,line_status,cancelled_date,updated_at"
)
NUVOLA_INVOICE_HEADER = (
    "numero_documento;tipo_documento;data_documento;rif_documento_collegato;cliente_piva;"
    "numero_riga;rif_riga;codice_articolo;descrizione;quantita;periodo_dal;periodo_al;"
    "prezzo_unitario;importo;aliquota_iva;imposta;valuta"
)


@pytest.fixture(scope="module")
def registry():
    return load_registry(PROJECT_REGISTRY)


def _write(tmp_path: Path, name: str, lines: list[str], encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_crm_csv_with_quoted_commas_accents_and_newlines(tmp_path, registry):
    path = _write(
        tmp_path,
        "crm.csv",
        [
            CRM_HEADER,
            'SO-2026-000123,SO-2026-000123-01,IT01234567890,"Caffè Ñandú, S.r.l.",alfa,FIBRA-1G,'
            '"Fibra 1 Gbit, ""business""",2,29.9000,22.00,2026-01-15,signed,,'
            "2026-01-15T09:30:00Z",
            'SO-2026-000124,SO-2026-000124-01,IT01234567890,"Rossi\nBianchi",nuvola,VM-S,,1,'
            "10.5,22.00,2026-01-16,cancelled,2026-01-20,2026-01-20T10:00:00+01:00",
        ],
        "utf-8",
    )
    items = list(parse_delimited(path, registry.feed("crm", "signed_orders")))
    assert all(isinstance(i, Record) for i in items), items
    first, second = (i.values for i in items)
    assert [i.source_row for i in items] == ["1", "2"]
    assert first["customer_name"] == "Caffè Ñandú, S.r.l."
    assert first["description"] == 'Fibra 1 Gbit, "business"'
    assert first["unit_price"] == Decimal("29.9000") and first["quantity"] == 2
    assert first["vat_rate"] == Decimal("22.00")
    assert first["signed_date"] == date(2026, 1, 15)
    assert first["cancelled_date"] is None
    assert first["updated_at"] == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    assert second["customer_name"] == "Rossi\nBianchi"
    assert second["updated_at"] == datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
    assert second["description"] is None


def test_cp1252_euro_sign_and_italian_numbers_survive(tmp_path, registry):
    path = _write(
        tmp_path,
        "fatture_2026_01.csv",
        [
            NUVOLA_INVOICE_HEADER,
            "FN-1;TD01;31/01/2026;;IT01234567890;1;SO-1-01;VM-L;"
            "Canone “VM L” \u2013 1.000 € al mese;2;01/01/2026;31/01/2026;"
            "1.234,56;2.469,12;22,00;543,21;EUR",
        ],
        "cp1252",
    )
    # Windows-1252 puts € at 0x80, where latin-1 has a control character
    assert b"\x80" in path.read_bytes()
    (item,) = parse_delimited(path, registry.feed("nuvola", "invoices"))
    assert isinstance(item, Record)
    values = item.values
    assert values["description"] == "Canone “VM L” \u2013 1.000 € al mese"
    assert values["unit_price"] == Decimal("1234.56")
    assert values["net_amount"] == Decimal("2469.12")
    assert values["vat_amount"] == Decimal("543.21")
    assert values["provider"] == "nuvola"
    assert values["body_number"] == 1  # a registry constant
    assert values["period_end"] == date(2026, 1, 31)
    assert values["related_invoice_number"] is None


def test_a_corrupt_row_is_rejected_with_its_reason_and_the_others_load(tmp_path, registry):
    header = "id_ordine_fornitore;rif_ordine;rif_riga;codice_articolo;quantita;prezzo_unitario;"
    header += "data_inserimento"
    path = _write(
        tmp_path,
        "ordini_1.csv",
        [
            header,
            "N-1;SO-1;SO-1-01;VM-S;1;10,00;02/03/2026 10:00:00",
            "N-1;SO-1;SO-1-02;VM-M;due;20,00;02/03/2026 10:00:00",
            "N-1;SO-1;SO-1-03;VM-L;1;30,00",
            "N-2;SO-2;;VM-L;1;3O,00;31/02/2026 10:00:00",
            "",
            "N-3;SO-3;SO-3-01;VM-S;3;1.000,00;29/03/2026 02:15:00",
        ],
        "cp1252",
    )
    items = list(parse_delimited(path, registry.feed("nuvola", "orders")))
    rejected = {i.source_row: i for i in items if isinstance(i, Rejection)}
    loaded = [i for i in items if isinstance(i, Record)]
    assert [r.source_row for r in loaded] == ["1", "6"]
    assert rejected["2"].reason == 'row 2: quantita "due" is not a whole number'
    assert rejected["2"].raw == "N-1;SO-1;SO-1-02;VM-M;due;20,00;02/03/2026 10:00:00"
    assert rejected["3"].reason == "row 3: has 6 fields, the header has 7"
    reason = rejected["4"].reason
    assert reason.startswith("row 4: rif_riga is empty; ")
    assert 'prezzo_unitario "3O,00" is not a number like 1.234,56' in reason
    assert 'data_inserimento "31/02/2026 10:00:00" is not a date and time' in reason
    assert loaded[1].values["submitted_at"] == datetime(2026, 3, 29, 1, 15, tzinfo=UTC)


def test_bytes_that_are_not_cp1252_make_the_whole_file_unreadable(tmp_path, registry):
    """A file that does not decode in the feed's declared encoding is refused as a whole."""
    header = "id_evento;id_ordine_fornitore;rif_riga;stato;data_ora;motivo"
    good = "E-1;N-1;SO-1-01;ATTIVO;02/03/2026 10:00:00;"
    path = tmp_path / "attivazioni_1.csv"
    bad = b"E-2;N-1;SO-1-02;SOSPESO;02/03/2026 11:00:00;attesa \x81 cliente"
    path.write_bytes(header.encode() + b"\r\n" + good.encode() + b"\r\n" + bad + b"\r\n")
    with pytest.raises(FileUnreadable) as caught:
        list(parse_delimited(path, registry.feed("nuvola", "activations")))
    assert str(caught.value) == (
        "the file is not valid cp1252, as nuvola/activations declares: "
        "byte 0x81 at byte 159 (line 3) does not decode"
    )


def test_a_header_without_a_mapped_column_makes_the_file_unreadable(tmp_path, registry):
    path = _write(tmp_path, "ordini_1.csv", ["id;rif_ordine", "1;2"], "cp1252")
    with pytest.raises(FileUnreadable, match=r"lacks column\(s\) \['id_ordine_fornitore'"):
        list(parse_delimited(path, registry.feed("nuvola", "orders")))
    empty = tmp_path / "ordini_2.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileUnreadable, match="empty"):
        list(parse_delimited(empty, registry.feed("nuvola", "orders")))


def test_a_utf8_byte_order_mark_does_not_hide_the_first_column(tmp_path, registry):
    line = "SO-1,SO-1-01,IT01234567890,ACME,alfa,X,,1,1.0,22.00,2026-01-15,signed,,2026-01-15"
    path = tmp_path / "crm.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (CRM_HEADER + "\n" + line + "\n").encode())
    (item,) = parse_delimited(path, registry.feed("crm", "signed_orders"))
    assert isinstance(item, Record)
    assert item.values["order_id"] == "SO-1"
