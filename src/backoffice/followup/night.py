"""What a night does for follow-up, after publication and the case sync."""

from __future__ import annotations

from datetime import date
from typing import Any

from backoffice.settings import Settings


def send_digests(settings: Settings, as_of: date) -> dict[str, Any]:
    """Write (and mail, where SMTP is set) each recipient's morning digest; never raise."""
    return {}
