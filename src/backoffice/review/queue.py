"""The work queue: filters, sorting, the euro totals of what the filter shows, keyset paging.

Paging is by key (the store's `after` cursor), never by offset, so page 500 of 100,000
cases costs what page 1 does. Totals are computed over the whole filtered set by the store
in SQL, not summed from the page.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from backoffice import published
from backoffice.review import sources
from backoffice.review.auth import WriterDep
from backoffice.review.web import (
    MULTI,
    PAGE_SIZE,
    SORTS,
    FilterDep,
    SettingsDep,
    StoreDep,
    query_string,
    render,
    sort_of,
)

router = APIRouter()
write_router = APIRouter()


@router.get("/", name="queue")
def queue(request: Request, store: StoreDep, settings: SettingsDep, flt: FilterDep):
    sort, descending = sort_of(request)
    after = request.query_params.get("after") or None
    page = store.query(flt, sort=sort, descending=descending, after=after, limit=PAGE_SIZE)
    return render(
        request,
        "queue.html",
        page=page,
        rows=page.rows,
        today=flt.today,
        flt=flt,
        sort=sort,
        descending=descending,
        sorts=SORTS,
        choices=_choices(store),
        selected={p: request.query_params.getlist(p) for p in MULTI},
        q=request.query_params,
        next_qs=query_string(request, after=page.next_cursor) if page.next_cursor else None,
        first_qs=query_string(request, after=None) if after else None,
        export_qs=query_string(request, after=None),
        sort_qs=lambda column: query_string(
            request,
            sort=column,
            after=None,
            dir="asc" if (column == sort and descending) else "desc",
        ),
        publication=sources.publication_name(settings),
        feed_warnings=[f for f in sources.feed_health(settings) if f.is_warning],
    )


def _choices(store) -> dict[str, tuple[str, ...]]:
    from backoffice.cases.store import STATUSES

    return {
        "type": published.EXCEPTION_TYPES,
        "severity": published.SEVERITIES,
        "owner": published.OWNERS,
        "status": STATUSES,
        "exception_status": ("open", "credited", "resolved"),
        "assignee": tuple(n for n in store.config.people if store.config.may_write(n)),
    }


@write_router.post("/bulk", name="bulk")
def bulk(
    request: Request,
    store: StoreDep,
    who: WriterDep,
    exception_id: list[str] = Form(default=[]),  # noqa: B008 (FastAPI's form declaration)
    assignee: str = Form(default=""),
    status: str = Form(default=""),
    back: str = Form(default=""),
):
    """Assign or change the status of the ticked cases in one go."""
    if exception_id and (assignee.strip() or status):
        store.update(
            exception_id,
            actor=who.name,
            assignee=assignee.strip() or None,
            status=status or None,
        )
    target = f"{request.scope.get('root_path', '')}/?{back}" if back else "./"
    return RedirectResponse(target, status_code=303)
