"""Two real nights with the cases synced and a local SMTP server catching the digests.

Night 1 (2 March 2026) runs, a claim pack is made for alfa, night 2 (9 March) runs
(credit notes land in between), and a second alfa pack is made. Everything is
in process (`pipeline.run_night`) on one generated sample: dbt, GX, publication,
case sync, escalation and digests all real.

A plain module, not a conftest.py: a second module named `conftest` would shadow the
top-level one in sys.modules (test folders here are not packages).
"""

from __future__ import annotations

import socket
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

NIGHT_1, NIGHT_2 = date(2026, 3, 2), date(2026, 3, 9)


class Inbox:
    """aiosmtpd handler: every message the server accepted, as (envelope recipients, message)."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class FollowupNights:
    root: Path
    settings: object
    publications: dict = field(default_factory=dict)
    mail: dict = field(default_factory=dict)  # night -> [(rcpt_tos, message)]
    packs: dict = field(default_factory=dict)  # night -> ClaimPack for alfa

    def copy_case_store(self, name: str):
        """A settings whose case store is a copy (the tests that change it work there)."""
        from backoffice.settings import Settings

        source = self.settings.cases_url.removeprefix("sqlite:///")
        target = self.root / f"{name}.sqlite"
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return Settings.from_env(
            {**self.settings.env, "BACKOFFICE_CASES_URL": f"sqlite:///{target}"}
        )


@pytest.fixture(scope="module")
def followup_nights(tmp_path_factory) -> FollowupNights:
    from aiosmtpd.controller import Controller

    from backoffice import pipeline, publish
    from backoffice.followup.claims import make_claim_pack
    from backoffice.sample import generate_landing_zone
    from backoffice.settings import Settings

    root = tmp_path_factory.mktemp("followup-nights")
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = Settings.from_env(
            {
                "BACKOFFICE_LANDING_DIR": str(root / "landing"),
                "BACKOFFICE_DATA_DIR": str(root / "data"),
                "BACKOFFICE_SMTP_HOST": "127.0.0.1",
                "BACKOFFICE_SMTP_PORT": str(port),
                "BACKOFFICE_SMTP_FROM": "backoffice@example.invalid",
                "BACKOFFICE_SMTP_BACKOFF_SECONDS": "0.01",
                "BACKOFFICE_REVIEW_URL": "http://review.test/backoffice/",
            }
        )
        generate_landing_zone(
            settings.landing_dir,
            root / "expected_exceptions.csv",
            seed=11,
            order_lines=160,
            as_of_dates=(NIGHT_1, NIGHT_2),
        )
        nights = FollowupNights(root, settings)
        for night in (NIGHT_1, NIGHT_2):
            before = len(inbox.messages)
            pipeline.run_night(settings, night)
            nights.mail[night] = inbox.messages[before:]
            nights.publications[night] = publish.current_publication(settings)
            nights.packs[night] = make_claim_pack(settings, "alfa", None, actor="marco")
    finally:
        controller.stop()
    return nights
