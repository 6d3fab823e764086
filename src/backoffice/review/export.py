"""Export of the filtered queue to CSV and to Excel, for people who live in spreadsheets.

The export is the queue's own filter (the same query string), every matching case, not only
the page on screen. Rows stream from the store by key; the .xlsx is written in constant
memory to a temporary file. Text is never a formula in either format (see
`backoffice.exports`): amounts stay numbers, dates stay dates.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from backoffice.review import words
from backoffice.review.web import FilterDep, open_store, sort_of, today_in_rome

router = APIRouter()

COLUMNS = (
    "exception_id",
    "exception_type",
    "case_status",
    "assignee",
    "due_date",
    "overdue",
    "exception_status",
    "severity",
    "owner",
    "provider",
    "customer_vat",
    "customer_name",
    "order_id",
    "order_line_id",
    "invoice_number",
    "invoice_line",
    "period_month",
    "detected_on",
    "age_business_days",
    "amount_eur",
    "credited_eur",
    "amount_means",
    "evidence",
    "root_cause",
    "source_file",
    "source_row",
)


def _values(row: Any, today) -> list[Any]:
    return [
        row.exception_id,
        row.exception_type,
        row.status,
        row.assignee,
        row.due_date,
        "yes" if row.is_overdue(today) else "no",
        row.exception_status,
        row.severity,
        row.owner,
        row.provider,
        row.customer_vat,
        row.customer_name,
        row.order_id,
        row.order_line_id,
        row.invoice_number,
        row.invoice_line,
        row.period_month,
        row.detected_on,
        row.age_business_days,
        row.amount_eur,
        row.credited_eur,
        words.amount_meaning(row.amount_eur, row.exception_type),
        row.evidence,
        row.root_cause,
        row.source_file,
        row.source_row,
    ]


def _rows(request: Request, flt, sort: str, descending: bool):
    """Every case of the filter, page by page by key (never all in memory)."""
    today = today_in_rome()
    store = open_store(request)
    for row in store.iter_cases(flt, sort=sort, descending=descending):
        yield _values(row, today)


def _name(extension: str) -> str:
    return f"backoffice-queue-{today_in_rome().isoformat()}.{extension}"


@router.get("/export.csv", name="export_csv")
def export_csv(request: Request, flt: FilterDep):
    from backoffice import exports

    sort, descending = sort_of(request)
    rows = _rows(request, flt, sort, descending)
    return StreamingResponse(
        exports.csv_chunks(COLUMNS, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_name("csv")}"'},
    )


@router.get("/export.xlsx", name="export_xlsx")
def export_xlsx(request: Request, flt: FilterDep):
    from backoffice import exports

    sort, descending = sort_of(request)
    handle, name = tempfile.mkstemp(suffix=".xlsx", prefix="backoffice-queue-")
    path = Path(name)
    with open(handle, "wb"):
        pass
    exports.write_xlsx(path, COLUMNS, _rows(request, flt, sort, descending), sheet="Queue")
    return FileResponse(
        path,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=_name("xlsx"),
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
