"""What the night could not load, listed rather than counted: every quarantined row and every
provider state the registry does not map, with its file, row, reason and the raw record."""

from __future__ import annotations

from fastapi import APIRouter, Request

from backoffice.review import sources
from backoffice.review.web import SettingsDep, render

router = APIRouter()


@router.get("/ingest", name="ingest")
def ingest(request: Request, settings: SettingsDep):
    quarantined, quarantined_total = sources.quarantined_rows(settings)
    unmapped, unmapped_total = sources.unmapped_states(settings)
    return render(
        request,
        "ingest.html",
        nav="ingest",
        quarantined=quarantined,
        quarantined_total=quarantined_total,
        unmapped=unmapped,
        unmapped_total=unmapped_total,
        limit=sources.LISTING_LIMIT,
        publication=sources.publication_name(settings),
    )
