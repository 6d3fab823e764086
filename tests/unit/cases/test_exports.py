"""Exports: amounts and dates typed, formula-looking text kept text, in CSV and in .xlsx."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl

from backoffice import exports

COLUMNS = ("id", "note", "amount_eur", "detected_on", "updated_at", "count")
ROWS = [
    ("a1", "=cmd|' /C calc'!A0", Decimal("-12.50"), date(2026, 3, 2), None, 3),
    ("a2", "+39 02 1234", Decimal("1234.00"), date(2026, 3, 9), None, 0),
    ("a3", "-minus", Decimal("0.10"), None, datetime(2026, 3, 9, 23, 30, tzinfo=UTC), None),
    ("a4", "@SUM(A1)", Decimal("7"), None, None, None),
    ("a5", "\tTab", None, None, None, None),
    ("a6", "plain, with comma", Decimal("5.00"), None, None, None),
]


def test_csv_protects_text_only():
    out = io.StringIO()
    assert exports.write_csv(out, COLUMNS, ROWS) == len(ROWS)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(COLUMNS)
    notes = [r[1] for r in rows[1:]]
    assert notes == [
        "'=cmd|' /C calc'!A0",
        "'+39 02 1234",
        "'-minus",
        "'@SUM(A1)",
        "'\tTab",
        "plain, with comma",
    ]
    assert [r[2] for r in rows[1:]] == ["-12.50", "1234.00", "0.10", "7.00", "", "5.00"]
    assert rows[1][3] == "2026-03-02"
    assert "".join(exports.csv_chunks(COLUMNS, ROWS)) == out.getvalue()


def test_xlsx_has_typed_cells_frozen_filtered_header_and_no_formula(tmp_path):
    path = tmp_path / "rows.xlsx"
    assert exports.write_xlsx(path, COLUMNS, ROWS, sheet="Cases") == len(ROWS)
    sheet = openpyxl.load_workbook(path)["Cases"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:F{len(ROWS) + 1}"
    formula_like = sheet["B2"]
    assert formula_like.data_type == "s" and formula_like.value == "=cmd|' /C calc'!A0"
    assert all(sheet.cell(row=r, column=2).data_type == "s" for r in range(2, 8))
    amount = sheet["C2"]
    assert amount.data_type == "n" and amount.value == -12.5
    assert amount.number_format == "#,##0.00"
    assert sheet["D2"].is_date and sheet["D2"].value == datetime(2026, 3, 2)
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    # An instant is shown in Italian time: 23:30 UTC on 9 March is 00:30 on the 10th.
    assert sheet["E4"].value == datetime(2026, 3, 10, 0, 30)
    assert sheet["F2"].value == 3 and sheet["C6"].value is None
