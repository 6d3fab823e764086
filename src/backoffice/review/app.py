"""The review app: the back office's work queue, served inside Airflow by its API server.

`create_app` builds one FastAPI app from one router per area (queue, exception, customer,
export, workload, rows not loaded, feeds, claims, glossary and report). Authentication is
declared once, on the app: every route depends on Airflow's logged-in user. The write
routers add the writer dependency, so a new write route cannot forget the role check.

Reads go to the published warehouse (read-only, one request at a time) and the case store;
the app never opens the build warehouse, so it never blocks a night nor waits for one.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse

from backoffice.errors import BackofficeError
from backoffice.review import (
    audit,
    case,
    claims,
    customer,
    docs,
    export,
    feeds,
    ingest,
    queue,
    workload,
)
from backoffice.review.auth import viewer, writer
from backoffice.review.web import render
from backoffice.settings import Settings

URL_PREFIX = "/backoffice"


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Back-office review",
        description="The back office's work queue of exceptions and cases.",
        dependencies=[Depends(viewer)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings or Settings.from_env()
    for router in (queue.router, case.router, customer.router, export.router,
                   workload.router, ingest.router, feeds.router, docs.router, audit.router,
                   claims.router):  # fmt: skip
        app.include_router(router)
    for router in (queue.write_router, case.write_router, claims.write_router):
        app.include_router(router, dependencies=[Depends(writer)])
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(BackofficeError, _backoffice_error)
    return app


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


async def _http_error(request: Request, exc: HTTPException):
    if exc.status_code == 401 and request.method == "GET" and _wants_html(request):
        from airflow.api_fastapi.app import get_auth_manager

        login = get_auth_manager().get_url_login(next_url=str(request.url))
        return RedirectResponse(login, status_code=303)
    return _error(request, exc.status_code, str(exc.detail), exc.headers)


async def _backoffice_error(request: Request, exc: BackofficeError):
    """A refusal from the case store (e.g. a role that may not write) is a 403, said plainly."""
    from backoffice.cases.people import NotAllowedError

    return _error(request, 403 if isinstance(exc, NotAllowedError) else 400, str(exc))


def _error(request: Request, code: int, detail: str, headers=None):
    if _wants_html(request) and getattr(request.state, "viewer", None) is not None:
        titles = {400: "Not understood", 403: "Not allowed", 404: "Not found"}
        response = render(request, "error.html", title=titles.get(code, "Error"), detail=detail)
        response.status_code = code
        return response
    return JSONResponse({"detail": detail}, status_code=code, headers=headers)
