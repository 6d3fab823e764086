"""Set-based typing gives the records the row-by-row reference gives, cell by odd cell.

`parse_delimited_batches` (clean rows typed by Arrow, parsers/arrowtyping.py) must load,
reject and explain exactly what `parse_delimited` does. Each case here is a file of good
rows with one cell changed to something a reader or a rule treats specially; the two
parses are compared record by record, and the clean rows must really be typed set-based.
"""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.parsers import arrowtyping, delimited
from backoffice.parsers.delimited import parse_delimited, parse_delimited_batches
from backoffice.parsers.records import Record, Rejection, Rows
from backoffice.registry import load_registry
from backoffice.warehouse.tables import TABLES

REGISTRY = load_registry(Path(__file__).resolve().parents[3] / "config" / "providers.yml")


@pytest.fixture(autouse=True)
def _set_based_however_small(monkeypatch):
    """The files here are small: typed set-based all the same (a night types such small
    files row by row, which is cheaper)."""
    from backoffice.parsers import tmf622

    monkeypatch.setattr(delimited, "SET_BASED_FROM_ROWS", 0)
    monkeypatch.setattr(tmf622, "SET_BASED_FROM_BYTES", 0)


CRM = {
    "order_id": "SO-1",
    "order_line_id": "SO-1-01",
    "customer_vat": "IT01234567890",
    "customer_name": '"Caffè Ñandú, S.r.l."',
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
CRM_CASES = [
    ("customer_name", " Rossi  "),
    ("customer_name", "Rossi\u00a0"),
    ("customer_name", "\tRossi"),
    ("customer_name", "Ã¨ utf-8 in a utf-8 file"),
    ("description", "\t"),
    ("description", "   "),
    ("order_id", ""),
    ("order_id", "  "),
    ("quantity", "+3"),
    ("quantity", "007"),
    ("quantity", "-0"),
    ("quantity", "1.5"),
    ("quantity", "1.0"),
    ("quantity", "3000000000"),
    ("quantity", "999999999"),
    ("quantity", "0"),
    ("quantity", "٣"),  # an Arabic-Indic three: Python's \d takes it
    ("unit_price", "12.34567"),
    ("unit_price", "12.345600"),
    ("unit_price", "0012.5"),
    ("unit_price", "1e3"),
    ("unit_price", "-0.01"),
    ("unit_price", "-0"),
    ("unit_price", "99999999999999.9999"),
    ("unit_price", "999999999999999"),
    ("unit_price", "1,234.5"),
    ("unit_price", ".5"),
    ("unit_price", "5."),
    ("vat_rate", "122.00"),
    ("vat_rate", "100"),
    ("vat_rate", "22.001"),
    ("signed_date", "2026-02-30"),
    ("signed_date", "2026-02-28"),
    ("signed_date", "2024-02-29"),
    ("signed_date", "2026-2-3"),
    ("signed_date", "20260203"),
    ("signed_date", "1999-12-31"),
    ("signed_date", "0000-01-01"),
    ("signed_date", "2100-01-01"),
    ("updated_at", "2026-03-02 08:36:48Z"),
    ("updated_at", "2026-03-02T08:36:48"),
    ("updated_at", "2026-03-02T24:00:00Z"),
    ("updated_at", "2026-03-02T08:36:48.1234567+01:00"),
    ("updated_at", "2026-03-02T08:36:48.98+05:30"),
    ("updated_at", "2026-03-02T08:36:48-23:59"),
    ("updated_at", "2026-02-30T08:36:48Z"),
    ("updated_at", "2026-03-02T08:36:60Z"),
    ("updated_at", "2026-01-01T00:30:00+01:00"),  # 1999 in UTC? no: 2025-12-31, inside
    ("updated_at", "2000-01-01T00:30:00+01:00"),  # 1999-12-31 in UTC: outside
    ("line_status", "cancelled"),
    ("line_status", "pending"),
    ("line_status", " signed "),
    ("cancelled_date", "2026-01-10"),  # before the signature
    ("cancelled_date", "2026-01-20"),
]

NUVOLA = {
    "id_evento": "EV-1",
    "id_ordine_fornitore": "NV-1",
    "rif_riga": "SO-1-01",
    "stato": "ATTIVO",
    "data_ora": "02/03/2026 10:00:00",
    "motivo": "disdetta “cliente” \u2013 10 €",
}
NUVOLA_CASES = [
    ("data_ora", "29/03/2026 02:30:00"),  # never happens: shifted forward
    ("data_ora", "29/03/2026 01:59:59"),
    ("data_ora", "29/03/2026 04:00:00"),
    ("data_ora", "29/03/2026 06:00:00"),
    ("data_ora", "25/10/2026 02:30:00"),  # happens twice: the earlier
    ("data_ora", "25/10/2026 00:30:00"),
    ("data_ora", "31/02/2026 10:00:00"),
    ("data_ora", "29/02/2026 10:00:00"),
    ("data_ora", "1/3/2026 10:00:00"),  # strptime takes it, the fast reader does not
    ("data_ora", "02/03/2026 10:00"),
    ("data_ora", "02/03/2026 25:00:00"),
    ("data_ora", "02/03/1999 10:00:00"),
    ("data_ora", "01/01/2000 00:30:00"),  # 1999 in UTC
    ("data_ora", "15/07/2050 12:00:00"),  # summer time, which Arrow forgets after 2037
    ("data_ora", ""),
    ("motivo", "perchÃ©"),  # UTF-8 read as Windows-1252: mojibake
    ("motivo", "Ã"),  # a lead character alone is not UTF-8
    ("motivo", "nota\u00a0"),
    ("motivo", ""),
    ("stato", ""),
]

NUVOLA_INVOICE = {
    "numero_documento": "FN-1",
    "tipo_documento": "TD01",
    "data_documento": "28/02/2026",
    "rif_documento_collegato": "",
    "cliente_piva": "IT01234567890",
    "numero_riga": "1",
    "rif_riga": "SO-1-02",
    "codice_articolo": "VM-S",
    "descrizione": "Canone VM S \u2013 10 € al mese",
    "quantita": "1",
    "periodo_dal": "01/02/2026",
    "periodo_al": "28/02/2026",
    "prezzo_unitario": "1.234,50",
    "importo": "1.234,50",
    "aliquota_iva": "22,00",
    "imposta": "271,59",
    "valuta": "EUR",
}
INVOICE_CASES = [
    ("quantita", "1.000"),
    ("quantita", "0,5"),
    ("quantita", "1,123456789"),
    ("prezzo_unitario", "1.23,4"),
    ("prezzo_unitario", "1234,5"),
    ("prezzo_unitario", "12.345.678,12345678"),
    ("prezzo_unitario", "-1,00"),
    ("importo", ""),
    ("importo", "1234.50"),
    ("aliquota_iva", "22"),
    ("aliquota_iva", "101,00"),
    ("periodo_al", "31/01/2026"),  # before the start
    ("periodo_dal", ""),
    ("numero_riga", "1.000"),
    ("imposta", "-3,00"),
]


def _write(tmp_path: Path, feed, header: dict[str, str], rows: list[dict[str, str]]) -> Path:
    dialect = feed.dialect
    lines = [dialect.delimiter.join(header)]
    lines += [dialect.delimiter.join(row.values()) for row in rows]
    path = tmp_path / "file.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(dialect.encoding.replace("-sig", "")))
    return path


def _normal(value):
    if isinstance(value, Decimal):
        return ("decimal", value.normalize())
    if getattr(value, "tzinfo", None) is not None:
        return value.astimezone(UTC)
    return value


def _both(path: Path, feed) -> tuple[dict, dict, int]:
    """(reference, set-based) as {row: values or reason}, and how many rows were typed
    set-based."""
    names = TABLES[feed.kind].names

    def flatten(items) -> tuple[dict, int]:
        out, typed = {}, 0
        for item in items:
            if isinstance(item, Record):
                out[item.source_row] = tuple(_normal(item.values[n]) for n in names)
            elif isinstance(item, Rejection):
                out[item.source_row] = (item.reason, item.raw)
            else:
                assert isinstance(item, Rows)
                typed += item.rows.num_rows
                for row in item.rows.to_pylist():
                    out[row["_source_row"]] = tuple(_normal(row[n]) for n in names)
        return out, typed

    reference, _ = flatten(parse_delimited(path, feed))
    batches, typed = flatten(parse_delimited_batches(path, feed))
    return reference, batches, typed


@pytest.mark.parametrize(
    ("source", "name", "good", "cases"),
    [
        ("crm", "signed_orders", CRM, CRM_CASES),
        ("nuvola", "activations", NUVOLA, NUVOLA_CASES),
        ("nuvola", "invoices", NUVOLA_INVOICE, INVOICE_CASES),
    ],
    ids=["crm", "nuvola-activations", "nuvola-invoices"],
)
def test_each_odd_cell_gets_the_reference_outcome(tmp_path, source, name, good, cases):
    feed = REGISTRY.feed(source, name)
    rows = []
    for column, value in cases:  # each odd row between two good ones
        rows += [good, {**good, column: value}]
    rows.append(good)
    reference, batches, typed = _both(_write(tmp_path, feed, good, rows), feed)
    assert batches == reference
    assert len(reference) == len(rows)
    rejected = sum(1 for v in reference.values() if isinstance(v[0], str) and "row " in v[0])
    assert 0 < rejected < len(cases)  # both outcomes are exercised
    assert typed >= len(cases) + 1  # the good rows, at least, were typed set-based


def test_blank_lines_short_rows_and_batches_keep_their_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "BATCH_ROWS", 3)
    feed = REGISTRY.feed("crm", "signed_orders")
    header = ",".join(CRM)
    good = ",".join(CRM.values())
    lines = [header, good, "", good, "SO-1,too,short", good, "", "", good, good + ",extra", good]
    path = tmp_path / "crm.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference, batches, typed = _both(path, feed)
    assert batches == reference
    assert sorted(reference, key=int) == ["1", "3", "4", "5", "8", "9", "10"]
    assert reference["4"][0] == "row 4: has 3 fields, the header has 14"
    assert typed == 5


def test_a_feed_without_an_arrow_twin_is_typed_in_python(tmp_path):
    """A strftime code the fast reader does not know (%b) leaves the whole file to Python,
    with the same records."""
    from dataclasses import replace

    feed = REGISTRY.feed("nuvola", "activations")
    odd = replace(feed, dialect=replace(feed.dialect, timestamp_format="%d %b %Y %H:%M:%S"))
    row = {**NUVOLA, "data_ora": "02 Mar 2026 10:00:00"}
    path = _write(tmp_path, odd, NUVOLA, [row, row])
    assert arrowtyping._clock(odd.dialect.timestamp_format) is None
    reference, batches, typed = _both(path, odd)
    assert batches == reference and typed == 0
    assert all(len(v) == len(TABLES[feed.kind].names) for v in reference.values())


def test_the_whitespace_arrow_leaves_to_python_is_what_str_strip_strips():
    every = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert every == arrowtyping._PY_WHITESPACE


# --- TMF622 state-change events (tmf622.parse_tmf622_batches) ---------------------------

GOOD_EVENT = (
    '{"eventId": "E1", "eventTime": "2026-03-02T10:00:00.123+01:00", "eventType": '
    '"ProductOrderStateChangeEvent", "event": {"productOrder": {"id": "A-1", "href": "x", '
    '"itemStateChange": [{"itemId": "SO-1-01", "state": "completed"}, '
    '{"itemId": "SO-1-02", "state": "held", "extra": 1}]}}}'
)
ODD_EVENTS = [
    GOOD_EVENT.replace('"E1"', '"  E1 "'),
    GOOD_EVENT.replace('"E1"', '"   "'),
    GOOD_EVENT.replace('"E1"', '""'),
    GOOD_EVENT.replace('"E1"', "null"),
    GOOD_EVENT.replace('"A-1"', '""'),
    GOOD_EVENT.replace('"A-1"', '"A-1\u00a0"'),
    GOOD_EVENT.replace('"eventType"', '"@type"'),
    GOOD_EVENT.replace("ProductOrderStateChangeEvent", "ProductOrderCreateEvent"),
    GOOD_EVENT.replace("2026-03-02T10:00:00.123+01:00", "2026-03-02T10:00:00"),
    GOOD_EVENT.replace("2026-03-02T10:00:00.123+01:00", "2026-03-02 10:00:00Z"),
    GOOD_EVENT.replace("2026-03-02T10:00:00.123+01:00", "2026-02-30T10:00:00Z"),
    GOOD_EVENT.replace("2026-03-02T10:00:00.123+01:00", "2000-01-01T00:30:00+01:00"),
    GOOD_EVENT.replace("2026-03-02T10:00:00.123+01:00", "2026-03-02T10:00:00.1234567Z"),
    GOOD_EVENT.replace('"SO-1-01"', '""'),
    GOOD_EVENT.replace('"SO-1-01"', "null"),
    GOOD_EVENT.replace('"completed"', '"partiallyDelivered"'),
    GOOD_EVENT.replace('"completed"', '" completed"'),
    GOOD_EVENT.replace('"itemStateChange": [', '"itemStateChange": [null, '),
    GOOD_EVENT.replace(
        '"itemStateChange": [{"itemId": "SO-1-01", "state": "completed"}, '
        '{"itemId": "SO-1-02", "state": "held", "extra": 1}]',
        '"itemStateChange": []',
    ),
    GOOD_EVENT.replace('"productOrder": {', '"other": {'),
]
# Each of these makes Arrow's reading of the file differ from the line-by-line parse (or
# not provably the same): the whole file goes through Python.
WHOLE_FILE_EVENTS = [
    GOOD_EVENT.replace('"E1"', "17"),
    GOOD_EVENT.replace('"A-1"', "4711"),
    GOOD_EVENT.replace('"E1"', '"E1", "eventId": "E2"'),
    GOOD_EVENT + " " + GOOD_EVENT,
    "{not json}",
    "",
    "   ",
    "[1, 2]",
    GOOD_EVENT.replace('"itemStateChange": [', '"itemStateChange": ["x", '),
]


def _events(tmp_path: Path, lines: list[str], ending: str = "\n", bom: bool = False) -> Path:
    path = tmp_path / "events.ndjson"
    text = ending.join(lines) + ending
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _tmf_both(path: Path, name: str = "activations") -> tuple[list, list, int]:
    """(reference, set-based) records of an alfa TMF622 feed, sorted, and how many rows were
    typed set-based."""
    from backoffice.parsers.tmf622 import parse_tmf622, parse_tmf622_batches

    feed = REGISTRY.feed("alfa", name)
    names = TABLES[feed.kind].names

    def flatten(items) -> tuple[list, int]:
        out, typed = [], 0
        for item in items:
            if isinstance(item, Record):
                out.append((item.source_row, tuple(_normal(item.values[n]) for n in names)))
            elif isinstance(item, Rejection):
                out.append((item.source_row, item.reason, item.raw))
            else:
                typed += item.rows.num_rows
                for row in item.rows.to_pylist():
                    out.append((row["_source_row"], tuple(_normal(row[n]) for n in names)))
        return sorted(out, key=repr), typed

    reference, _ = flatten(parse_tmf622(path, feed))
    batches, typed = flatten(parse_tmf622_batches(path, feed))
    return reference, batches, typed


@pytest.mark.parametrize(("ending", "bom"), [("\n", False), ("\r\n", True)], ids=["lf", "crlf-bom"])
def test_each_odd_event_gets_the_reference_outcome(tmp_path, ending, bom):
    lines = []
    for odd in ODD_EVENTS:
        lines += [GOOD_EVENT, odd]
    lines.append(GOOD_EVENT)
    reference, batches, typed = _tmf_both(_events(tmp_path, lines, ending, bom))
    assert batches == reference
    rejected = sum(1 for item in reference if isinstance(item[1], str))
    assert 0 < rejected < len(ODD_EVENTS)
    # the good lines (two state changes each), and the odd ones that are good too: an
    # unknown state, an empty order id
    assert typed == 2 * (len(ODD_EVENTS) + 1 + 2)


@pytest.mark.parametrize("odd", WHOLE_FILE_EVENTS)
def test_a_file_arrow_might_read_otherwise_goes_through_python_whole(tmp_path, odd):
    reference, batches, typed = _tmf_both(_events(tmp_path, [GOOD_EVENT, odd, GOOD_EVENT]))
    assert batches == reference and typed == 0


def test_a_last_line_without_its_newline_is_read_the_same(tmp_path):
    path = tmp_path / "events.ndjson"
    path.write_text(GOOD_EVENT + "\n" + ODD_EVENTS[0] + "\n" + GOOD_EVENT, encoding="utf-8")
    reference, batches, typed = _tmf_both(path)
    assert batches == reference and typed == 4


GOOD_CREATE = (
    '{"eventId": "C1", "eventTime": "2026-03-02T10:00:00+01:00", "eventType": '
    '"ProductOrderCreateEvent", "event": {"productOrder": {"id": "A-1", '
    '"creationDate": "2026-03-02T09:00:00.5Z", "externalId": [{"id": "X", '
    '"externalIdentifierType": "other"}, {"id": "SO-1", "externalIdentifierType": '
    '"resellerOrder"}, {"id": "SO-2", "externalIdentifierType": "resellerOrder"}], '
    '"productOrderItem": [{"id": "SO-1-01", "quantity": 2, "productOffering": {"id": "FIBRA"}, '
    '"itemPrice": [{"priceType": "oneTime", "price": {"dutyFreeAmount": {"value": 99}}}, '
    '{"priceType": "recurring", "recurringChargePeriod": "month", "price": '
    '{"dutyFreeAmount": {"unit": "EUR", "value": 19.9}}}]}, {"id": "SO-1-02", "quantity": 1, '
    '"productOffering": {"id": "VM"}, "itemPrice": [{"priceType": "recurring", '
    '"recurringChargePeriod": "month", "price": {"dutyFreeAmount": {"value": 1e2}}}]}]}}}'
)
ODD_CREATES = [
    GOOD_CREATE.replace('"C1"', '""'),
    GOOD_CREATE.replace('"C1"', '" C1"'),
    GOOD_CREATE.replace('"A-1"', '""'),
    GOOD_CREATE.replace('"SO-1", "externalIdentifierType"', '"", "externalIdentifierType"'),
    GOOD_CREATE.replace('"SO-1", "externalIdentifierType"', '"SO-1 ", "externalIdentifierType"'),
    GOOD_CREATE.replace(
        '"externalIdentifierType": "resellerOrder"}, {"id": "SO-2"', '"x": 1}, {"id": "SO-2"'
    ),
    GOOD_CREATE.replace('"externalId": [', '"externalId": [null, '),
    GOOD_CREATE.replace('"externalId": [{"id": "X"', '"notExternal": [{"id": "X"'),
    GOOD_CREATE.replace("2026-03-02T09:00:00.5Z", "1999-12-31T23:00:00Z"),
    GOOD_CREATE.replace("2026-03-02T09:00:00.5Z", "2026-03-02T09:00:00"),
    GOOD_CREATE.replace('"quantity": 2', '"quantity": 0'),
    GOOD_CREATE.replace('"quantity": 2', '"quantity": -3'),
    GOOD_CREATE.replace('"quantity": 2', '"quantity": 3000000000'),
    GOOD_CREATE.replace('"quantity": 2, ', ""),
    GOOD_CREATE.replace('"value": 19.9', '"value": -0.5'),
    GOOD_CREATE.replace('"value": 19.9', '"value": -0.0'),
    GOOD_CREATE.replace('"unit": "EUR"', '"unit": "USD"'),
    GOOD_CREATE.replace('"unit": "EUR", "value": 19.9', '"unit": "EUR"'),
    GOOD_CREATE.replace(
        '"priceType": "oneTime"', '"priceType": "recurring", "recurringChargePeriod": "month"'
    ),
    GOOD_CREATE.replace('{"id": "FIBRA"}', "null"),
    GOOD_CREATE.replace('"productOrderItem": [', '"productOrderItem": [null, '),
    GOOD_CREATE.replace(
        '"itemPrice": [{"priceType": "oneTime"', '"itemPrice": [null, {"priceType": "oneTime"'
    ),
    GOOD_CREATE.replace("ProductOrderCreateEvent", "ProductOrderStateChangeEvent"),
    GOOD_CREATE.replace('"value": 19.9', '"value": 123456789012345678'),  # Arrow takes it
    GOOD_CREATE.replace('"value": 19.9', '"value": 99999999999999.9999'),
]
WHOLE_FILE_CREATES = [
    GOOD_CREATE.replace('"quantity": 2', '"quantity": 2.0'),
    GOOD_CREATE.replace('"quantity": 2', '"quantity": true'),
    GOOD_CREATE.replace('"value": 19.9', '"value": 19.90001'),
    GOOD_CREATE.replace('"value": 19.9', '"value": "19.9"'),
    GOOD_CREATE.replace('"value": 19.9', '"value" :  "19.9"'),
    GOOD_CREATE.replace('"SO-1-01"', '"SO-1-\\u0030\\u0031"'),  # an escape: Python whole
    GOOD_CREATE.replace('"id": "SO-1-01"', '"id": 7'),
    GOOD_CREATE.replace('"externalId": [', '"externalId": ["x", '),
]


def test_each_odd_create_event_gets_the_reference_outcome(tmp_path):
    lines = []
    for odd in ODD_CREATES:
        lines += [GOOD_CREATE, odd]
    lines.append(GOOD_CREATE)
    reference, batches, typed = _tmf_both(_events(tmp_path, lines), "orders")
    assert batches == reference
    rejected = sum(1 for item in reference if isinstance(item[1], str))
    assert 0 < rejected < len(ODD_CREATES)
    assert typed >= 2 * (len(ODD_CREATES) + 1)  # the good lines, two items each


@pytest.mark.parametrize("odd", WHOLE_FILE_CREATES)
def test_a_create_event_file_arrow_might_read_otherwise_goes_through_python_whole(tmp_path, odd):
    path = _events(tmp_path, [GOOD_CREATE, odd, GOOD_CREATE])
    reference, batches, typed = _tmf_both(path, "orders")
    assert batches == reference and typed == 0


def test_a_rule_without_its_arrow_twin_sends_every_row_through_python(tmp_path, monkeypatch):
    """A rule added with only its sentence must never let a row load unjudged."""
    from backoffice.parsers import rules

    def no_vm(values, name):
        return "no VM for now" if values.get("sku") == "VM" else None

    for kind in ("provider_orders", "crm_signed_orders"):
        monkeypatch.setitem(rules.RULES, kind, (*rules.RULES[kind], rules.Rule(no_vm)))
    arrowtyping._cached.cache_clear()
    path = _events(tmp_path, [GOOD_CREATE, GOOD_CREATE])
    reference, batches, typed = _tmf_both(path, "orders")
    assert batches == reference and typed == 0
    assert (
        sum(
            1
            for item in reference
            if item[1:2] == ("line 1: productOrderItem SO-1-02: no VM for now",)
        )
        == 1
    )
    feed = REGISTRY.feed("crm", "signed_orders")
    reference, batches, typed = _both(
        _write(tmp_path, feed, CRM, [{**CRM, "sku": "VM"}, CRM]), feed
    )
    assert batches == reference and typed == 0
    arrowtyping._cached.cache_clear()


def test_an_arrow_error_while_typing_falls_back_to_python(tmp_path, monkeypatch):
    """Whatever Arrow throws while typing, the batch or file is typed in Python instead:
    the set-based path is never worse than the reference."""
    import pyarrow as pa

    from backoffice.parsers import tmf622

    def broken(*args, **kwargs):
        raise pa.ArrowInvalid("unexpected")

    monkeypatch.setattr(arrowtyping.RowTyping, "_type", broken)
    monkeypatch.setattr(tmf622, "_state_changes", broken)
    feed = REGISTRY.feed("crm", "signed_orders")
    reference, batches, typed = _both(_write(tmp_path, feed, CRM, [CRM, CRM]), feed)
    assert batches == reference and len(reference) == 2 and typed == 0
    reference, batches, typed = _tmf_both(_events(tmp_path, [GOOD_EVENT, GOOD_EVENT]))
    assert batches == reference and len(reference) == 4 and typed == 0
