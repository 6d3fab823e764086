"""Excel .xlsx feeds: typed cells and text cells, Italian numbers, Rome wall-clock times."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from backoffice.parsers import FileUnreadable, Record, Rejection, parse_file, read_header
from backoffice.registry import Dialect, Feed

ITALIAN = Dialect(
    decimal_mark=",",
    thousands_mark=".",
    date_format="%d/%m/%Y",
    timestamp_format="%d/%m/%Y %H:%M:%S",
    timezone="Europe/Rome",
)
ORDERS = Feed(
    source="zefiro",
    name="orders",
    kind="provider_orders",
    format="xlsx",
    patterns=("*.xlsx",),
    dialect=ITALIAN,
    columns={
        "provider_order_id": "Codice",
        "order_line_id": "Riga",
        "sku": "Prodotto",
        "quantity": "Qta",
        "unit_price": "Prezzo",
        "submitted_at": "Inserito",
    },
)
INVOICES = Feed(
    source="zefiro",
    name="invoices",
    kind="invoice_lines",
    format="xlsx",
    patterns=("*.xlsx",),
    dialect=ITALIAN,
    columns={
        "invoice_number": "Documento",
        "document_type": "Tipo",
        "invoice_date": "Data",
        "line_number": "Riga",
        "net_amount": "Imponibile",
        "currency": "Divisa",
    },
    constants={"body_number": "1"},
)
HEADER = ["Codice", "Riga", "Prodotto", "Qta", "Prezzo", "Inserito"]


def _book(path: Path, rows: list[list], header: list[str] = HEADER) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Ordini")
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, stamp)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def _items(path: Path, feed: Feed = ORDERS) -> list[Record | Rejection]:
    return list(parse_file(path, feed))


def test_typed_cells_and_text_cells_read_alike(tmp_path):
    path = _book(
        tmp_path / "o.xlsx",
        [
            ["ZF1", "SO-1-01", "VPN", 2, 24.95 * 0.88, datetime(2026, 3, 2, 9, 30)],
            ["ZF2", "SO-2-01", "VPN", "3", "1.234,5600", "02/03/2026 09:30:00"],
        ],
    )
    first, second = (i.values for i in _items(path))
    assert first["unit_price"] == Decimal("21.956") and second["unit_price"] == Decimal("1234.56")
    assert (first["quantity"], second["quantity"]) == (2, 3)
    # 09:30 in Rome on 2 March (winter time, UTC+1) is 08:30 UTC, typed or written.
    winter = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    assert first["submitted_at"] == second["submitted_at"] == winter
    assert first["provider"] == "zefiro"


def test_summer_time_and_the_ambiguous_hour_follow_the_dialect(tmp_path):
    path = _book(
        tmp_path / "o.xlsx",
        [
            ["ZF1", "SO-1-01", "VPN", 1, 10, datetime(2026, 7, 1, 9, 30)],
            ["ZF2", "SO-2-01", "VPN", 1, 10, datetime(2026, 10, 25, 2, 30)],
        ],
    )
    summer, ambiguous = (i.values["submitted_at"] for i in _items(path))
    assert summer == datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
    assert ambiguous == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # earlier: still summer time


def test_bad_cells_are_rejected_with_the_column_and_the_sheet_row(tmp_path):
    path = _book(
        tmp_path / "o.xlsx",
        [
            ["ZF1", "SO-1-01", "VPN", 2.5, 10, datetime(2026, 3, 2, 9)],
            ["ZF2", "SO-2-01", "VPN", 1, 12.34567, datetime(2026, 3, 2, 9)],
            ["ZF3", "SO-3-01", "VPN", 0, 10, datetime(2026, 3, 2, 9)],
            ["ZF4", "SO-4-01", "VPN", 1, 10, 46083],
            ["ZF5", "SO-5-01", "VPN", True, 10, datetime(2026, 3, 2, 9)],
            ["ZF6", "SO-6-01", None, 1, 10, datetime(2026, 3, 2, 9)],
        ],
    )
    reasons = [(i.source_row, i.reason) for i in _items(path)]
    assert all(isinstance(i, Rejection) for i in _items(path))
    assert reasons == [
        ("1", 'row 1 (sheet Ordini, row 2): Qta "2.5" is not a whole number'),
        ("2", 'row 2 (sheet Ordini, row 3): Prezzo "12.34567" has more than 4 decimals'),
        ("3", "row 3 (sheet Ordini, row 4): Qta 0 is not greater than zero"),
        ("4", 'row 4 (sheet Ordini, row 5): Inserito "46083" is a number, not a date: '
              "format the cell as a date"),
        ("5", 'row 5 (sheet Ordini, row 6): Qta "True" is a TRUE/FALSE cell'),
        ("6", "row 6 (sheet Ordini, row 7): Prodotto is empty"),
    ]  # fmt: skip


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = _book(
        tmp_path / "o.xlsx",
        [
            ["ZF1", "SO-1-01", "VPN", 1, 10, datetime(2026, 3, 2, 9)],
            [None, None, None, None, None, None],
            ["ZF3", "SO-3-01", "VPN", 1, 10, datetime(2026, 3, 2, 9)],
        ],
    )
    assert [i.source_row for i in _items(path)] == ["1", "3"]


def test_dates_as_excel_dates_or_text_and_money_stays_decimal(tmp_path):
    header = ["Documento", "Tipo", "Data", "Riga", "Imponibile", "Divisa"]
    path = _book(
        tmp_path / "f.xlsx",
        [
            ["F1", "TD01", datetime(2026, 3, 5), 1, 1234.5, "EUR"],
            ["F1", "TD01", "05/03/2026", "2", "1.234,50", "EUR"],
            ["F2", "TD01", datetime(2026, 3, 5, 14, 0), 1, 10, "EUR"],
        ],
        header,
    )
    first, second, third = _items(path, INVOICES)
    assert first.values["invoice_date"] == second.values["invoice_date"] == date(2026, 3, 5)
    assert first.values["net_amount"] == second.values["net_amount"] == Decimal("1234.5")
    assert isinstance(third, Rejection) and "Data" in third.reason and "time of day" in third.reason


def test_a_missing_mapped_column_names_the_drift(tmp_path):
    renamed = ["Codice", "Riga", "Prodotto", "Quantità", "Prezzo", "Inserito"]
    path = _book(tmp_path / "o.xlsx", [], renamed)
    assert read_header(path, ORDERS) == renamed
    with pytest.raises(FileUnreadable, match="column Qta renamed to Quantità"):
        _items(path)


def test_what_is_not_a_workbook_is_unreadable(tmp_path):
    fake = tmp_path / "o.xlsx"
    fake.write_text("Codice;Riga\nZF1;SO-1-01\n", encoding="utf-8")
    with pytest.raises(FileUnreadable, match=r"not an Excel \.xlsx workbook"):
        _items(fake)
    empty = tmp_path / "e.xlsx"
    xlsxwriter.Workbook(str(empty)).close()
    with pytest.raises(FileUnreadable, match="no header row"):
        _items(empty)
