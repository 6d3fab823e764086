"""What a night records for auditors, before it publishes: the steps the nightly run calls."""

from __future__ import annotations

from datetime import date
from typing import Any

from backoffice.settings import Settings


def record_night(settings: Settings, as_of: date, run_id: str) -> dict[str, Any]:
    """Append the night's control executions and completeness to the build warehouse."""
    return {}
