"""What follow-up writes on cases: one history event per claim, closing or escalation.

Only through the case store's API (`append_event`), so the store checks the actor
and keeps history append-only; follow-up never changes a case's own fields.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from backoffice.cases.people import SYSTEM_ACTOR
from backoffice.cases.store import CaseError, CaseStore
from backoffice.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["SYSTEM_ACTOR", "append_events"]


def append_events(
    settings: Settings,
    actor: str,
    events: Iterable[tuple[str, str, object, object] | tuple[str, str, object, object, str]],
) -> int:
    """Append (exception_id, field, old, new[, reason]) events; a case not in the store is
    reported and skipped (its exception was never synced), the rest are recorded."""
    written = 0
    with CaseStore.open(settings) as store:
        for event in events:
            exception_id, field, old, new, *rest = event
            try:
                store.append_event(
                    exception_id,
                    actor=actor,
                    field=field,
                    old_value=old,
                    new_value=new,
                    reason=rest[0] if rest else None,
                )
                written += 1
            except CaseError as failure:
                log.warning("case %s: %s not recorded: %s", exception_id, field, failure)
    return written
