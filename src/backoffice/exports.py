"""Rows to CSV and to Excel for every listing (CLI and review app), safely and typed.

People open these files in a spreadsheet, so two things matter: amounts and
dates arrive as real numbers and dates (sortable, summable), and no text the
back office did not write (a provider's description, a note, a customer name)
can run as a formula. In .xlsx every string is written as a string, never a
formula; in CSV a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return gets the usual leading apostrophe. Numbers are never touched,
so a negative amount stays `-12.50`.

The contract's own CSV (`backoffice exceptions --format csv`, OUTPUT.md) is the
machine interface and is written by `backoffice.published`, unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import xlsxwriter

ROME = ZoneInfo("Europe/Rome")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 1_000


def safe_text(text: str) -> str:
    """Text a spreadsheet will show as text: a leading apostrophe before formula triggers."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: Any) -> str:
    """One CSV cell: numbers and dates as written by the contract, text protected."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return safe_text(str(value))


def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Header and rows to an open text stream; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        count += 1
    return count


def csv_chunks(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The same CSV as `write_csv`, in pieces, for a streaming HTTP response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    pending = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def write_xlsx(
    path: Path | str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Rows",
) -> int:
    """An .xlsx with a frozen, filterable header; returns the number of rows.

    Written in constant memory (row by row to disk), so a 100,000-row export costs
    what a 100-row one does in memory.
    """
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1})
        money = workbook.add_format({"num_format": "#,##0.00"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        instant = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        sheet_ = workbook.add_worksheet(sheet[:31])
        widths = [max(10, min(40, len(c) + 2)) for c in columns]
        for index, name in enumerate(columns):
            sheet_.write_string(0, index, name, header)
        count = 0
        for count, row in enumerate(rows, start=1):
            for index, value in enumerate(row):
                _write_cell(sheet_, count, index, value, money, day, instant)
                if isinstance(value, str):
                    widths[index] = max(widths[index], min(60, len(value) + 2))
        for index, width in enumerate(widths):
            sheet_.set_column(index, index, width)
        sheet_.freeze_panes(1, 0)
        sheet_.autofilter(0, 0, max(count, 1), max(len(columns) - 1, 0))
    finally:
        workbook.close()
    return count


def _write_cell(sheet, row: int, col: int, value: Any, money, day, instant) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, Decimal):
        sheet.write_number(row, col, float(value), money)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime):
        local = value.astimezone(ROME).replace(tzinfo=None) if value.tzinfo else value
        sheet.write_datetime(row, col, local, instant)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
    else:
        sheet.write_string(row, col, str(value))
