"""What every router of the review app shares: templates, the case store, the queue's filter.

The filter is read from the query string in one place, so the queue, its totals, its
exports and its bulk actions always mean the same set of cases.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from backoffice.review import words
from backoffice.settings import Settings

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


def local_time(instant: Any) -> str:
    """An instant as the back office reads it: Italian time, to the minute."""
    if instant is None:
        return ""
    if hasattr(instant, "astimezone") and getattr(instant, "tzinfo", None) is not None:
        return instant.astimezone(ROME).strftime("%Y-%m-%d %H:%M")
    return str(instant)


templates.env.filters["local"] = local_time
templates.env.globals.update(
    eur=words.eur,
    labelled=words.labelled,
    meaning=words.amount_meaning,
    direction=words.direction,
    net_label=words.net_label,
    SIGN_CONVENTION=words.SIGN_CONVENTION,
)
ROME = ZoneInfo("Europe/Rome")

# The columns a person may sort the queue by (the store keeps a keyset index on each).
SORTS = {
    "detected_on": "Detected",
    "amount_eur": "Amount",
    "age_business_days": "Age",
    "severity": "Severity",
    "customer_vat": "Customer",
    "exception_type": "Type",
    "due_date": "Due",
}
MULTI = {
    "type": "exception_type",
    "provider": "provider",
    "owner": "owner",
    "status": "status",
    "severity": "severity",
    "assignee": "assignee",
    "exception_status": "exception_status",
}
PAGE_SIZE = 50
_STORE_LOCK = threading.Lock()


def today_in_rome() -> date:
    from datetime import datetime

    return datetime.now(ROME).date()


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(settings_of)]


def open_store(request: Request) -> Any:
    """The case store, opened once per app (its engines pool connections; SQLite readers
    never wait for a writer): opening it per request would re-read the configuration and
    re-check the schema each time."""
    from backoffice.cases.store import CaseStore

    state = request.app.state
    with _STORE_LOCK:
        if getattr(state, "store", None) is None:
            state.store = CaseStore.open(state.settings)
    return state.store


StoreDep = Annotated[Any, Depends(open_store)]


def _int(text: str | None, name: str) -> int | None:
    if text in (None, ""):
        return None
    try:
        value = int(text)
    except ValueError:
        raise HTTPException(400, f"{name} must be a whole number of days, not {text!r}") from None
    if value < 0:
        raise HTTPException(400, f"{name} cannot be negative")
    return value


def queue_filter(request: Request) -> Any:
    """The CaseFilter the query string describes (the same for the page, totals and exports)."""
    from backoffice.cases.store import CaseFilter

    q = request.query_params
    fields: dict[str, Any] = {
        field: tuple(v for v in q.getlist(param) if v) for param, field in MULTI.items()
    }
    # "-" in the assignee list means cases nobody has taken (the store's "").
    fields["assignee"] = tuple("" if v == "-" else v for v in fields["assignee"])
    return CaseFilter(
        **fields,
        customer_vat=(q.get("customer") or "").strip() or None,
        text=(q.get("q") or "").strip() or None,
        overdue=q.get("overdue") in ("1", "on", "true"),
        min_age_days=_int(q.get("min_age"), "min_age"),
        max_age_days=_int(q.get("max_age"), "max_age"),
        today=today_in_rome(),
    )


FilterDep = Annotated[Any, Depends(queue_filter)]


def sort_of(request: Request) -> tuple[str, bool]:
    sort = request.query_params.get("sort") or "detected_on"
    if sort not in SORTS:
        raise HTTPException(400, f"cannot sort by {sort!r}: choose one of {', '.join(SORTS)}")
    return sort, request.query_params.get("dir", "desc") != "asc"


def query_string(request: Request, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes them)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return urlencode(items)


def base(request: Request) -> str:
    """Where the app is mounted (/backoffice inside Airflow, '' in a bare test app)."""
    return request.scope.get("root_path", "").rstrip("/")


def render(request: Request, template: str, **context: Any):
    context.setdefault("who", getattr(request.state, "viewer", None))
    context["base"] = base(request)
    context["request"] = request
    return templates.TemplateResponse(request, template, context)


def money(text: str | None, name: str) -> Decimal | None:
    """A euro amount typed by a person: '12.50' or '12,50'; refused with why."""
    if text is None or text.strip() == "":
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except ArithmeticError:
        raise HTTPException(400, f"{name} must be an amount in euro like 12.50") from None
    if not value.is_finite() or value < 0:
        raise HTTPException(400, f"{name} must be a positive amount in euro like 12.50")
    return value.quantize(Decimal("0.01"))
