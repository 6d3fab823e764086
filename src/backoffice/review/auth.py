"""Who is asking, and may they change cases: FastAPI dependencies declared once.

Airflow protects its own routes, not a plugin's: a plugin app is open unless its routes ask
for Airflow's user. `viewer` does (Airflow's `get_user`: the `_token` JWT cookie the login
page sets, or a bearer token), so whatever auth manager Airflow runs (the simple one on one
machine, FAB or another in a deployment), the app knows the same user Airflow knows.

Whether that user may *change* cases is the back office's rule, not Airflow's: the roles in
`config/cases.yml` (back office writes, auditors read). Some auth managers authorise a
custom view whatever the HTTP method, so `writer` checks it on the server for every write
route, and also refuses a user whose Airflow role is read-only (viewer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlparse

from airflow.api_fastapi.auth.managers.models.base_user import BaseUser
from airflow.api_fastapi.core_api.security import get_user
from fastapi import Depends, HTTPException, Request, status

from backoffice.cases import people
from backoffice.cases.people import SYSTEM_ACTOR

READ_ONLY_AIRFLOW_ROLES = {"viewer"}


@dataclass(frozen=True)
class Viewer:
    """The logged-in person as the review app sees them."""

    name: str
    role: str  # the back-office role from config/cases.yml ("back_office", "auditor", ...)
    may_write: bool


def _people(request: Request) -> people.CaseConfig:
    return people.load(request.app.state.settings)


async def viewer(request: Request, user: Annotated[BaseUser, Depends(get_user)]) -> Viewer:
    """Every route depends on this: no Airflow login, no page (401, or the login page)."""
    name = user.get_name()
    config = _people(request)
    if name == SYSTEM_ACTOR:  # the night's actor: no person may sign in as it
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"{name!r} is not a person")
    airflow_role = str(getattr(user, "role", "") or "").lower()
    may_write = bool(config.may_write(name)) and airflow_role not in READ_ONLY_AIRFLOW_ROLES
    role = config.role(name) or "unknown"
    viewer = Viewer(name=name, role=str(role), may_write=may_write)
    request.state.viewer = viewer
    return viewer


async def writer(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """Every write route depends on this: auditors and unknown users get 403, whatever the
    method; a write posted from another site (a forged form) is refused too."""
    if not who.may_write:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{who.name} ({who.role}) may read cases but not change them",
        )
    origin = request.headers.get("origin")
    if origin and urlparse(origin).netloc != request.headers.get("host"):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a write must come from this site")
    return who


ViewerDep = Annotated[Viewer, Depends(viewer)]
WriterDep = Annotated[Viewer, Depends(writer)]
