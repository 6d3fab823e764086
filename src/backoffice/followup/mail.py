"""Mailing a message through the SMTP server the settings name, with a few retries.

Settings (docs/follow-up.md): BACKOFFICE_SMTP_HOST (unset: nothing is mailed),
BACKOFFICE_SMTP_PORT, BACKOFFICE_SMTP_FROM, BACKOFFICE_SMTP_USER and
BACKOFFICE_SMTP_PASSWORD (from a secret store, never a file in the repo),
BACKOFFICE_SMTP_STARTTLS, BACKOFFICE_SMTP_ATTEMPTS, BACKOFFICE_SMTP_BACKOFF_SECONDS.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from backoffice.settings import Settings

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Outcome:
    sent: bool
    attempts: int
    error: str | None = None


def build_message(
    settings: Settings, to: tuple[str, ...], subject: str, text: str, html: str, recipient: str
) -> EmailMessage:
    """Text and HTML alternatives; X-Backoffice-Recipient names the digest (owner:/person:)."""
    message = EmailMessage()
    message["X-Backoffice-Recipient"] = recipient
    message["From"] = settings.smtp_sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send(
    settings: Settings,
    message: EmailMessage,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Try `settings.smtp_attempts` times, waiting backoff, 2 x backoff, ... in between."""
    error = None
    for attempt in range(1, settings.smtp_attempts + 1):
        try:
            with smtplib.SMTP(
                settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS
            ) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password or "")
                smtp.send_message(message)
            return Outcome(True, attempt)
        except (TimeoutError, smtplib.SMTPException, OSError) as failure:
            error = f"{failure.__class__.__name__}: {failure}"
            if attempt < settings.smtp_attempts:
                sleep(settings.smtp_backoff_seconds * 2 ** (attempt - 1))
    return Outcome(False, settings.smtp_attempts, error)
