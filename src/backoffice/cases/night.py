"""What a night does with cases: the steps the nightly run calls.

Before dbt, the case state the report and the KPIs need is copied into the
build warehouse (the warehouse never holds a lock on the case store); after
publication, cases follow what the night found (new ones opened, those no
longer found closed, closed ones found again reopened).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from backoffice.settings import Settings


def import_case_state(settings: Settings, as_of: date) -> dict[str, Any]:
    """Copy the cases' current state into the build warehouse (raw.case_state)."""
    return {}


def sync_cases(settings: Settings, as_of: date) -> dict[str, Any]:
    """Open, close and reopen cases after what the published night found."""
    return {}
