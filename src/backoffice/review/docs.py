"""The glossary (docs/glossary.md, rendered) and the latest nightly report, served to the
logged-in user so the app, the report and `--help` point to the same words."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markdown_it import MarkdownIt

from backoffice.review.web import HERE, SettingsDep, render

router = APIRouter()
STATIC = {"app.css": "text/css", "app.js": "text/javascript"}


def glossary_path(settings) -> object:
    return settings.project_dir / "docs" / "glossary.md"


@router.get("/glossary", name="glossary")
def glossary(request: Request, settings: SettingsDep):
    path = glossary_path(settings)
    if not path.is_file():
        raise HTTPException(404, f"the glossary {path} is missing")
    # Raw HTML in the markdown is not passed through: the page shows text, never markup.
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(path.read_text())
    return render(request, "glossary.html", nav="glossary", body=body)


@router.get("/report", name="report")
def report(request: Request, settings: SettingsDep):
    """The latest nightly report, as written by the night (a self-contained page)."""
    from backoffice import report as nightly

    pointer = nightly.latest_path(settings)
    reports = sorted(nightly.reports_dir(settings).glob("*/index.html"))
    if not pointer.exists() or not reports:
        raise HTTPException(404, "no nightly report yet: it is written after a night publishes")
    return HTMLResponse(reports[-1].read_text(encoding="utf-8"))


@router.get("/dbt-docs", name="dbt_docs")
def dbt_docs(settings: SettingsDep):
    """What every table and column means: the night's dbt docs, one self-contained page."""
    from backoffice.report import dbt_docs_page

    page = dbt_docs_page(settings)
    if not page.is_file():
        raise HTTPException(404, "no dbt docs yet: the night writes them before it publishes")
    return HTMLResponse(page.read_text(encoding="utf-8"))


@router.get("/static/{name}", name="static")
def static(name: str):
    if name not in STATIC:
        raise HTTPException(404, "no such file")
    return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])
