"""Every registered format passes the format kit (format_kit.py): one case per format.

A new format adds its case to CASES (a registry entry and a file writer); the
last test fails until every registered format has one.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from format_kit import CHECKS, KitCase

from backoffice.parsers import formats
from backoffice.sample import fatturapa as sample_fatturapa
from backoffice.sample.catalogue import PROVIDERS, customer

ITALIAN = {
    "encoding": "cp1252",
    "delimiter": ";",
    "decimal_mark": ",",
    "thousands_mark": ".",
    "date_format": "%d/%m/%Y",
    "timestamp_format": "%d/%m/%Y %H:%M:%S",
    "timezone": "Europe/Rome",
}


def _day(i: int) -> int:
    return 1 + i % 27  # few distinct dates: the parsers' date caches stay small


def write_delimited(folder: Path, rows: int, bad: frozenset[int]) -> Path:
    lines = ["id_evento;id_ordine_fornitore;rif_riga;stato;data_ora;motivo"]
    for i in range(1, rows + 1):
        when = "31/02/2026 10:00:00" if i in bad else f"{_day(i):02d}/03/2026 10:00:00"
        lines.append(f"EV{i};NV-{i};SO-2026-{i:06d}-01;ATTIVO;{when};")
    path = folder / "attivazioni_20260302.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def write_xlsx(folder: Path, rows: int, bad: frozenset[int]) -> Path:
    """Orders as an Italian back office exports them: typed cells and text cells mixed."""
    path = folder / "ordini_20260302.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Ordini")
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, ["Id Ordine", "Rif Ordine", "Riga", "Articolo", "Qta", "Prezzo",
                           "Inserito il"])  # fmt: skip
    for i in range(1, rows + 1):
        sheet.write_string(i, 0, f"ZF-{i:07d}")
        sheet.write_string(i, 1, f"SO-2026-{i:06d}")
        sheet.write_string(i, 2, f"SO-2026-{i:06d}-01")
        sheet.write_string(i, 3, "ZEF-VPN-10")
        if i in bad:
            sheet.write_string(i, 4, "due")
        else:
            sheet.write_number(i, 4, 1 + i % 3)
        if i % 2:
            sheet.write_number(i, 5, 24.95 * 0.88)  # 21.956000000000003 in binary
        else:
            sheet.write_string(i, 5, "1.234,5600")
        if i % 3:
            sheet.write_datetime(i, 6, datetime(2026, 3, _day(i), 9, 30), stamp)
        else:
            sheet.write_string(i, 6, f"{_day(i):02d}/03/2026 09:30:00")
    book.close()
    return path


def write_tmf622(folder: Path, rows: int, bad: frozenset[int]) -> Path:
    lines = []
    for i in range(1, rows + 1):
        when = "2026-02-30T10:00:00+01:00" if i in bad else f"2026-03-{_day(i):02d}T10:00:00+01:00"
        event = {
            "eventId": f"E{i}",
            "eventType": "ProductOrderStateChangeEvent",
            "eventTime": when,
            "event": {
                "productOrder": {
                    "id": f"AO{i:09d}",
                    "itemStateChange": [{"itemId": f"SO-2026-{i:06d}-01", "state": "completed"}],
                }
            },
        }
        lines.append(json.dumps(event))
    path = folder / "productOrderStateChangeEvent_20260302.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_fatturapa(folder: Path, rows: int, bad: frozenset[int]) -> Path:
    lines = [
        sample_fatturapa.BodyLine(
            i,
            "ALF-FTTH-1G",
            "Fibra FTTH 1 Gbps Business",
            Decimal(0 if i in bad else 1),
            date(2026, 2, 1),
            date(2026, 2, 28),
            Decimal("39.90"),
            Decimal("39.90"),
            Decimal("22.00"),
            f"SO-2026-{i:06d}-01",
        )
        for i in range(1, rows + 1)
    ]
    body = sample_fatturapa.Body("TD01", date(2026, 3, 3), "FA2603-000001", "", None, lines)
    xml = sample_fatturapa.document(
        prefix="p",
        progressive="00001",
        provider=PROVIDERS["alfa"],
        customer=customer(11, 1),
        recipient_code="ABC1234",
        bodies=[body],
    )
    path = folder / f"IT{PROVIDERS['alfa'].vat}_00001.xml"
    path.write_bytes(xml)
    return path


CASES = {
    "delimited": KitCase(
        source="nuvola",
        feed="activations",
        entry={
            "kind": "provider_order_events",
            "format": "delimited",
            "dialect": "italian",
            "patterns": ["attivazioni_*.csv"],
            "columns": {
                "event_id": "id_evento",
                "provider_order_id": "id_ordine_fornitore",
                "order_line_id": "rif_riga",
                "provider_state": "stato",
                "state_at": "data_ora",
                "reason": "motivo",
            },
        },
        write=write_delimited,
        bad_field="data_ora",
        states={"ATTIVO": "ACTIVE"},
        dialects={"italian": ITALIAN},
    ),
    "xlsx": KitCase(
        source="zefiro",
        feed="orders",
        entry={
            "kind": "provider_orders",
            "format": "xlsx",
            "dialect": {"base": "italian", "timestamp_format": "%d/%m/%Y %H:%M:%S"},
            "patterns": ["ordini_*.xlsx"],
            "columns": {
                "provider_order_id": "Id Ordine",
                "order_id": "Rif Ordine",
                "order_line_id": "Riga",
                "sku": "Articolo",
                "quantity": "Qta",
                "unit_price": "Prezzo",
                "submitted_at": "Inserito il",
            },
        },
        write=write_xlsx,
        bad_field="Qta",
        streaming_rows=2000,  # openpyxl under tracemalloc is slow; 2000 rows make the point
        dialects={"italian": ITALIAN},
    ),
    "tmf622_ndjson": KitCase(
        source="alfa",
        feed="activations",
        entry={
            "kind": "provider_order_events",
            "format": "tmf622_ndjson",
            "patterns": ["*.ndjson"],
        },
        write=write_tmf622,
        bad_field="eventTime",
        states={"completed": "ACTIVE"},
    ),
    "fatturapa": KitCase(
        source="alfa",
        feed="invoices",
        entry={"kind": "invoice_lines", "format": "fatturapa", "patterns": ["IT*_*.xml"]},
        write=write_fatturapa,
        bad_field="Quantita",
        label=lambda i: f"1/{i}",
        streaming_rows=2000,  # one invoice of 2000 lines is already an unusually large one
    ),
}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", sorted(CASES))
def test_format_passes_the_kit(name, check, tmp_path):
    check(CASES[name], tmp_path)


def test_every_registered_format_has_a_case():
    assert set(formats()) == set(CASES), "add a KitCase for the new format"


def test_the_kit_fails_a_format_that_numbers_rows_otherwise(tmp_path):
    """The kit is not a rubber stamp: rows numbered otherwise than the file's fail it."""
    case = CASES["delimited"]
    from_zero = KitCase(**{**case.__dict__, "label": lambda i: str(i - 1)})
    with pytest.raises(AssertionError):
        CHECKS[0](from_zero, tmp_path)


def test_an_excel_float_is_read_as_excel_shows_it():
    from backoffice.parsers.xlsx import excel_decimal

    assert excel_decimal(24.95 * 0.88) == Decimal("21.956")
    assert excel_decimal(0.1 + 0.2) == Decimal("0.3")
    assert excel_decimal(1234.56) == Decimal("1234.56")
    assert excel_decimal(7) == Decimal(7)
