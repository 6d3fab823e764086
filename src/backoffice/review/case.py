"""An exception's page: the evidence and its figures, the landed records that prove it, the
case's history and notes, and the actions (assign, status, root cause, note, credit note).

The actions are one POST route behind the writer dependency: an auditor sees the page, not
the forms, and the server refuses their POST whatever the page shows.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from backoffice.cases.store import STATUSES
from backoffice.review import sources
from backoffice.review.auth import WriterDep
from backoffice.review.web import SettingsDep, StoreDep, money, render

router = APIRouter()
write_router = APIRouter()


def _case_or_404(store, exception_id: str):
    case = store.get(exception_id)
    if case is None:
        raise HTTPException(404, f"no exception {exception_id!r} in the case store")
    return case


@router.get("/exceptions/{exception_id}", name="exception")
def exception_page(request: Request, exception_id: str, store: StoreDep, settings: SettingsDep):
    case = _case_or_404(store, exception_id)
    return render(
        request,
        "exception.html",
        case=case,
        history=store.history(exception_id),
        notes=store.notes(exception_id),
        records=sources.source_records(
            settings, case.source_file, case.source_row, case.order_line_id
        ),
        statuses=STATUSES,
        root_causes=store.config.root_causes,
        assignees=[n for n in store.config.people if store.config.may_write(n)],
        saved=request.query_params.get("saved"),
    )


@write_router.post("/exceptions/{exception_id}", name="exception_update")
def exception_update(
    request: Request,
    exception_id: str,
    store: StoreDep,
    who: WriterDep,
    assignee: str | None = Form(default=None),
    status: str | None = Form(default=None),
    root_cause: str | None = Form(default=None),
    note: str | None = Form(default=None),
    credit_expected_eur: str | None = Form(default=None),
    credit_received_eur: str | None = Form(default=None),
):
    """One form per action; only the fields a form sends change (history keeps the rest)."""
    case = _case_or_404(store, exception_id)
    changes = {
        "assignee": _changed(assignee, case.assignee),
        "status": _changed(status, case.status),
        "root_cause": _changed(root_cause, case.root_cause),
        "note": (note or "").strip() or None,
        "credit_expected_eur": money(credit_expected_eur, "credit expected"),
        "credit_received_eur": money(credit_received_eur, "credit received"),
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes:
        store.update([exception_id], actor=who.name, **changes)
    url = request.url_for("exception", exception_id=exception_id)
    return RedirectResponse(f"{url.path}?saved={'1' if changes else '0'}", status_code=303)


def _changed(value: str | None, current: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value if value and value != (current or "") else None
