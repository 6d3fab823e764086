"""What a night does for follow-up, after publication and the case sync.

Close the claim lines a credit note now covers, take overdue cases a step up,
then write every recipient's digest to `<data_dir>/digests/<as_of>/` and mail
it where SMTP is set. Nothing here may fail the night or its publication: every
failure is caught, reported in the step's result (the task's XCom) and in the
digest log, and a digest that could not be mailed is tried again the next night.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from sqlalchemy import insert

from backoffice.settings import Settings

log = logging.getLogger(__name__)


def send_digests(settings: Settings, as_of: date) -> dict[str, Any]:
    """Write (and mail, where SMTP is set) each recipient's morning digest; never raise."""
    result: dict[str, Any] = {"as_of": as_of.isoformat()}
    try:
        from backoffice.followup.claims import close_credited_claims

        result["claims_closed"] = close_credited_claims(settings, as_of)
    except Exception as failure:  # a broken claim table must not stop the digests
        log.exception("closing credited claims failed")
        result["claims_error"] = f"{failure.__class__.__name__}: {failure}"
    try:
        result.update(deliver(settings, as_of))
    except Exception as failure:
        log.exception("the digests of %s failed", as_of)
        result["error"] = f"{failure.__class__.__name__}: {failure}"
    return result


def deliver(settings: Settings, as_of: date, *, sleep=None) -> dict[str, Any]:
    """Escalate, compose, write, mail and record the digests of the night of `as_of`."""
    from backoffice.cases.store import CaseStore
    from backoffice.followup import digest, ledger, mail
    from backoffice.followup.config import load as load_config
    from backoffice.followup.escalation import escalate, escalated_on, morning_after
    from backoffice.followup.render import render

    today = morning_after(as_of)
    escalate(settings, today)
    steps = escalated_on(settings, today)
    config = load_config(settings)
    engine = ledger.engine(settings)
    with CaseStore.open(settings) as store:
        digests, since, watermark = digest.compose(
            store, engine, config, settings.review_url, as_of, today, steps
        )
    directory = settings.digests_dir / as_of.isoformat()
    report: dict[str, Any] = {"sent": [], "written": [], "failed": [], "empty": 0, "repeat": []}
    index = []
    for message in digests:
        if not message.items:
            report["empty"] += 1
            continue
        directory.mkdir(parents=True, exist_ok=True)
        context = {"digest": message, "sections": digest.SECTIONS, "titles": digest.SECTION_TITLES}
        text = render("digest.txt", **context)
        html = render("digest.html", **context)
        (directory / f"{message.file_stem}.txt").write_text(text, encoding="utf-8")
        (directory / f"{message.file_stem}.html").write_text(html, encoding="utf-8")
        fresh = _fresh(engine, message)
        outcome, attempts, error = "written", 0, None
        if not fresh:
            outcome = "already_sent"  # a rerun of the night: written again, not mailed again
        elif settings.smtp_host and message.addresses:
            sent = mail.send(
                settings,
                mail.build_message(
                    settings, message.addresses, message.subject, text, html, message.recipient
                ),
                **({"sleep": sleep} if sleep else {}),
            )
            outcome = "sent" if sent.sent else "failed"
            attempts, error = sent.attempts, sent.error
        if outcome in ("sent", "written"):
            _record_delivered(engine, message, fresh)
        bucket = {"sent": "sent", "written": "written", "failed": "failed"}.get(outcome, "repeat")
        report[bucket].append(message.recipient)
        if outcome == "failed":
            log.warning("digest for %s not delivered: %s", message.recipient, error)
        _log(engine, message, outcome, attempts, error)
        index.append(
            {
                "recipient": message.recipient,
                "addresses": list(message.addresses),
                "items": len(message.items),
                "at_stake_eur": str(message.at_stake_eur),
                "outcome": outcome,
                "error": error,
            }
        )
    # Closings and reopenings a digest could not tell (mail failed, or beyond its length)
    # are read again next night: the history watermark only moves when all were told.
    untold = report["failed"] or any(
        m.hidden("closed") or m.hidden("reopened") for m in digests if m.items
    )
    with engine.begin() as conn:
        conn.execute(
            insert(ledger.digest_runs).values(
                as_of=as_of, history_watermark=since if untold else watermark, at=ledger.now()
            )
        )
    if index:
        (directory / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    report["escalated"] = len(steps)
    report["directory"] = str(directory)
    return report


def _fresh(engine, message) -> list:
    """The items the digest lists not yet delivered (a rerun of the night finds none)."""
    from sqlalchemy import select

    from backoffice.followup import ledger

    d = ledger.deliveries
    with engine.connect() as conn:
        done = {
            (r.exception_id, r.reason)
            for r in conn.execute(
                select(d.c.exception_id, d.c.reason).where(d.c.recipient == message.recipient)
            )
        }
    return [i for i in message.listed if (i.case.exception_id, i.key) not in done]


def _record_delivered(engine, message, items) -> None:
    from backoffice.followup import ledger

    if not items:
        return
    now = ledger.now()
    with engine.begin() as conn:
        conn.execute(
            insert(ledger.deliveries),
            [
                {
                    "as_of": message.as_of,
                    "recipient": message.recipient,
                    "exception_id": i.case.exception_id,
                    "reason": i.key,
                    "at": now,
                }
                for i in items
            ],
        )


def _log(engine, message, outcome: str, attempts: int, error: str | None) -> None:
    from backoffice.followup import ledger

    with engine.begin() as conn:
        conn.execute(
            insert(ledger.digest_log).values(
                as_of=message.as_of,
                recipient=message.recipient,
                addresses=", ".join(message.addresses),
                items=len(message.items),
                outcome=outcome,
                attempts=attempts,
                error=error,
                at=ledger.now(),
            )
        )
