"""The auditors' pages: an exception's full trace, and read-only SQL on the publication.

Both are the audit area's functions (`backoffice.audit.trace`, `backoffice.audit.sql`),
shown here for a logged-in user; both only read (the SQL runs on a read-only connection to
the immutable publication and refuses anything but one query).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from backoffice.review.web import SettingsDep, render

router = APIRouter()
SQL_LIMIT = 1000


@router.get("/trace/{item_id}", name="trace")
def trace_page(request: Request, item_id: str, settings: SettingsDep):
    from backoffice.audit.trace import render_text, trace

    return render(
        request, "trace.html", item_id=item_id, text=render_text(trace(settings, item_id))
    )


@router.get("/sql", name="sql")
def sql_page(request: Request, settings: SettingsDep):
    from backoffice.audit.sql import run_readonly

    query = (request.query_params.get("q") or "").strip()
    result = run_readonly(settings, query, limit=SQL_LIMIT) if query else None
    return render(request, "sql.html", nav="sql", query=query, result=result, limit=SQL_LIMIT)
