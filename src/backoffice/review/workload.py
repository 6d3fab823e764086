"""The managers' view: open cases per assignee, how many are overdue, the euro at stake, and
the euro recovered (credits received) this month."""

from __future__ import annotations

from fastapi import APIRouter, Request

from backoffice.review.web import StoreDep, render, today_in_rome

router = APIRouter()


@router.get("/workload", name="workload")
def workload(request: Request, store: StoreDep):
    today = today_in_rome()
    return render(request, "workload.html", nav="workload", today=today, load=store.workload(today))
