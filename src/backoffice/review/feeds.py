"""The Feeds page: each provider feed against its delivery rhythm and usual volume.

It shows marts.feed_health of the publication, the very rows the night's summary, the
report and the audit warnings were made from (docs/feed-health.md), so the app cannot
disagree with them. The queue shows the same warnings above the cases.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from backoffice.review import sources
from backoffice.review.web import SettingsDep, render

router = APIRouter()

STATUS_WORDS = {
    "on_time": "on time",
    "late": "late",
    "small": "unusually small",
    "never_delivered": "never delivered",
    "no_rhythm": "no rhythm",
}


@router.get("/feeds", name="feeds")
def feeds(request: Request, settings: SettingsDep):
    health = sources.feed_health(settings)
    return render(
        request,
        "feeds.html",
        nav="feeds",
        feeds=health,
        warnings=[f for f in health if f.is_warning],
        status_words=STATUS_WORDS,
        publication=sources.publication_name(settings),
    )
