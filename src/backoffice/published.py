"""What the latest night published, as the back office reads it.

OUTPUT.md's exceptions table is written from here for every listing and export,
so the column order and the value formats are stated once.
"""

from __future__ import annotations

import csv
from datetime import date
from typing import TextIO

from backoffice import publish
from backoffice.settings import Settings

EXCEPTION_COLUMNS = (
    "exception_id",
    "exception_type",
    "status",
    "provider",
    "customer_vat",
    "order_id",
    "order_line_id",
    "invoice_number",
    "invoice_line",
    "period_month",
    "as_of",
    "detected_on",
    "age_business_days",
    "amount_eur",
    "credited_eur",
    "severity",
    "owner",
    "evidence",
    "source_file",
    "source_row",
)
EXCEPTION_ORDER = (
    "exception_type, provider, order_line_id nulls first, invoice_number nulls first, "
    "invoice_line nulls first, period_month nulls first"
)


def write_exceptions_csv(settings: Settings, out: TextIO) -> int:
    """The published exceptions table as OUTPUT.md fixes it; returns the row count."""
    columns = ", ".join(EXCEPTION_COLUMNS)
    with publish.connect_published(settings) as con:
        cursor = con.execute(f"select {columns} from marts.exceptions order by {EXCEPTION_ORDER}")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXCEPTION_COLUMNS)
        count = 0
        while batch := cursor.fetchmany(10_000):
            writer.writerows([[csv_value(v) for v in row] for row in batch])
            count += len(batch)
    return count


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
