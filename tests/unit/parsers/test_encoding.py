"""Encodings proven, not assumed: wrong encodings refuse the file, byte-order marks are handled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backoffice.parsers.delimited import parse_delimited
from backoffice.parsers.encoding import is_mojibake, prove_encoding
from backoffice.parsers.records import FileUnreadable, Record
from backoffice.parsers.tmf622 import parse_tmf622
from backoffice.registry import load_registry

REGISTRY = load_registry(Path(__file__).resolve().parents[3] / "config" / "providers.yml")
HEADER = "id_evento;id_ordine_fornitore;rif_riga;stato;data_ora;motivo"
ROW = "E-1;N-1;SO-1-01;SOSPESO;02/03/2026 10:00:00;«€» attesa perché"
MOJIBAKE = "the file is UTF-8 (it holds valid UTF-8 multi-byte sequences), but nuvola/activations"


def _activations(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "attivazioni_1.csv"
    path.write_bytes(data)
    return path


def _parse(path: Path) -> list:
    return list(parse_delimited(path, REGISTRY.feed("nuvola", "activations")))


def test_a_cp1252_file_keeps_its_euro_and_guillemets(tmp_path):
    path = _activations(tmp_path, f"{HEADER}\r\n{ROW}\r\n".encode("cp1252"))
    (item,) = _parse(path)
    assert isinstance(item, Record)
    assert item.values["reason"] == "«€» attesa perché"


def test_a_utf8_file_in_the_cp1252_feed_is_refused_not_loaded_as_mojibake(tmp_path):
    path = _activations(tmp_path, f"{HEADER}\r\n{ROW}\r\n".encode())
    with pytest.raises(FileUnreadable) as caught:
        _parse(path)
    assert str(caught.value).startswith(MOJIBAKE)
    assert "declared cp1252" in str(caught.value)


def test_a_utf8_bom_in_the_cp1252_feed(tmp_path):
    """ASCII after the mark reads the same in both encodings: loaded; UTF-8 text: refused."""
    ascii_row = "E-1;N-1;SO-1-01;ATTIVO;02/03/2026 10:00:00;"
    path = _activations(tmp_path, b"\xef\xbb\xbf" + f"{HEADER}\r\n{ascii_row}\r\n".encode())
    (item,) = _parse(path)
    assert isinstance(item, Record)
    assert item.values["event_id"] == "E-1"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\r\n{ROW}\r\n".encode())
    with pytest.raises(FileUnreadable, match="^" + re.escape(MOJIBAKE)):
        _parse(path)


@pytest.mark.parametrize(("codec", "family"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_wide_unicode_file_is_refused_by_its_byte_order_mark(tmp_path, codec, family):
    path = _activations(tmp_path, f"{HEADER}\r\n{ROW}\r\n".encode(codec))
    with pytest.raises(FileUnreadable) as caught:
        _parse(path)
    assert str(caught.value) == (
        f"the file starts with a {family} byte-order mark: it is {family} text, but "
        "nuvola/activations is declared cp1252; ask for the file in cp1252"
    )


def test_one_utf8_row_in_a_cp1252_file_is_rejected_alone(tmp_path):
    good = "E-1;N-1;SO-1-01;ATTIVO;02/03/2026 10:00:00;perché"
    data = (
        f"{HEADER}\r\n".encode()
        + good.encode("cp1252")
        + b"\r\n"
        + "E-2;N-1;SO-1-02;SOSPESO;02/03/2026 11:00:00;«€»".encode()
        + b"\r\n"
    )
    items = _parse(_activations(tmp_path, data))
    assert isinstance(items[0], Record)
    assert items[0].values["reason"] == "perché"
    assert items[1].reason == (
        "row 2: holds UTF-8 multi-byte sequences, but the file is declared cp1252: it would "
        "load as mojibake"
    )


def test_a_cp1252_file_in_the_utf8_crm_feed_is_refused_with_where(tmp_path):
    header = (
        "order_id,order_line_id,customer_vat,customer_name,provider,sku,description,quantity,"
        "unit_price,vat_rate,signed_date,line_status,cancelled_date,updated_at"
    )
    row = "SO-1,SO-1-01,IT01234567890,Caffè Rossi,alfa,X,,1,1.0,22.00,2026-01-15,signed,,2026-01-15"
    path = tmp_path / "crm.csv"
    path.write_bytes(f"{header}\n{row}\n".encode("cp1252"))
    with pytest.raises(FileUnreadable) as caught:
        list(parse_delimited(path, REGISTRY.feed("crm", "signed_orders")))
    offset = len(header) + 1 + row.index("è") + 1
    assert str(caught.value) == (
        f"the file is not valid utf-8-sig, as crm/signed_orders declares: byte 0xE8 at byte "
        f"{offset} (line 2) does not decode"
    )


def test_ndjson_must_be_utf8_and_may_start_with_a_bom(tmp_path):
    event = (
        '{"eventId":"E1","eventType":"ProductOrderStateChangeEvent","eventTime":'
        '"2026-03-02T10:00:00+01:00","event":{"productOrder":{"id":"A-1","itemStateChange":'
        '[{"itemId":"SO-1-01","state":"completed"}]}}}'
    )
    path = tmp_path / "events.ndjson"
    path.write_bytes(b"\xef\xbb\xbf" + event.encode() + b"\n")
    (item,) = parse_tmf622(path, REGISTRY.feed("alfa", "activations"))
    assert isinstance(item, Record)
    assert item.values["provider_state"] == "completed"
    path.write_bytes(event.encode() + b"\n" + event.replace("A-1", "Caff\xe8").encode("latin-1"))
    with pytest.raises(FileUnreadable, match=r"not valid utf-8, as alfa/activations .* \(line 2\)"):
        list(parse_tmf622(path, REGISTRY.feed("alfa", "activations")))


def test_mojibake_detection_has_no_false_alarm_on_italian_text():
    for text in ["perché", "città", "Caffè «Più» € 1.234,56", "Società, S.p.A."]:
        assert not is_mojibake(text, "cp1252")
        assert is_mojibake(text.encode().decode("cp1252"), "cp1252")
    assert not is_mojibake("perché", "utf-8")


def test_a_file_cut_inside_a_multibyte_character_is_refused(tmp_path):
    path = tmp_path / "cut.ndjson"
    path.write_bytes('{"a": "perché"}'.encode()[:-3])
    with pytest.raises(FileUnreadable, match="its end"):
        prove_encoding(path, "utf-8", "alfa/orders")
