# ruff: noqa: F811 (pytest fixtures imported from review_support, then requested by name)
"""The claim button: a back-office user makes a provider's claim pack from the app; an
auditor downloads packs but the server refuses their POST; files are served from the
provider's claims folder only."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from review_support import (  # noqa: F401 (fixtures)
    anonymous,
    app,
    auditor,
    auth_manager,
    clerk,
    review_settings,
)

pytestmark = pytest.mark.integration


def _claimed_cases(settings) -> int:
    with sqlite3.connect(settings.cases_url.split("///", 1)[1]) as con:
        return con.execute(
            "select count(distinct exception_id) from case_history where field = 'claim'"
        ).fetchone()[0]


def test_a_clerk_makes_a_claim_pack_and_an_auditor_may_only_read_it(
    clerk, auditor, anonymous, review_settings
):
    assert auditor.post("/claims/alfa").status_code == 403
    assert anonymous.post("/claims/alfa").status_code == 401
    assert not list((review_settings.claims_dir).glob("alfa/*")), "refused writes wrote nothing"
    page = auditor.get("/claims", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Make the claim pack" not in page.text

    made = clerk.post("/claims/alfa")
    assert made.status_code == 303 and made.headers["location"].endswith("/claims?made=alfa")
    page = clerk.get("/claims?made=alfa", headers={"accept": "text/html"})
    assert "Claim pack for <strong>alfa</strong> made" in page.text
    workbook = next(review_settings.claims_dir.glob("alfa/*.xlsx"))
    assert f"/claims/alfa/{workbook.name}" in page.text
    assert _claimed_cases(review_settings) > 0, "the claim is recorded on the cases"

    download = auditor.get(f"/claims/alfa/{workbook.name}")
    assert download.status_code == 200
    (review_settings.claims_dir / "downloaded.xlsx").write_bytes(download.content)
    sheet = openpyxl.load_workbook(review_settings.claims_dir / "downloaded.xlsx").active
    assert sheet.max_row > 1
    assert auditor.get("/claims/alfa/..%2F..%2Fcases%2Fcases.sqlite").status_code == 404
    assert auditor.get("/claims/nobody/x.xlsx").status_code == 404


def test_the_nights_dbt_docs_are_served_to_logged_in_users_only(auditor, anonymous):
    page = auditor.get("/dbt-docs", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "exception_history" in page.text, "the models are in the page"
    assert anonymous.get("/dbt-docs").status_code == 401
