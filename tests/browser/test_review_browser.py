"""A back-office day in a real browser against a real Airflow API server with the plugin.

The server is `airflow api-server` started here (a free port, SQLite metadata in a scratch
home, the project's plugins folder, the simple auth manager with known passwords) on a copy
of two published nights with their cases. Headless Debian Chromium, driven by Playwright,
logs in as a back-office user, filters the queue, opens an exception, assigns it, writes a
note, closes it and exports the view to .xlsx; each step is checked in the case store and
in the file. Then an auditor finds nothing to write with, and the server refuses their
direct POST, and an anonymous one, and opens the Feeds page. Screenshots are saved as
artefacts (and the queue's is copied to docs/images/ for the README when missing, or with
BACKOFFICE_REFRESH_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "review"))
from review_support import (
    AUDITOR,
    CLERK,
    PASSWORDS,
    auth_environment,
    data_with_cases,
)

from backoffice.registry import load_registry

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(published_nights, tmp_path_factory):
    """A real `airflow api-server` with the review plugin, on a private copy of the data."""
    root = tmp_path_factory.mktemp("review-browser")
    settings = data_with_cases(published_nights, root)
    home = root / "airflow"
    port = _free_port()
    env = {
        **os.environ,
        **auth_environment(home),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__PORT": str(port),
        "BACKOFFICE_PROJECT_DIR": str(PROJECT),
        "BACKOFFICE_DATA_DIR": str(settings.data_dir),
        "BACKOFFICE_LANDING_DIR": str(settings.landing_dir),
    }
    airflow = str(Path(sys.executable).with_name("airflow"))
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    log = open(root / "api-server.log", "wb")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        [airflow, "api-server", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, (root / "api-server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{url}/api/v2/monitor/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the API server did not start in time"
            time.sleep(0.5)
        yield type("Server", (), {"url": url, "settings": settings, "log": root / "api-server.log"})
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (.ci/run installs it)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _cases(settings) -> sqlite3.Connection:
    return sqlite3.connect(settings.cases_url.split("///", 1)[1])


def _token(url: str, name: str) -> str:
    answer = httpx.post(f"{url}/auth/token", json={"username": name, "password": PASSWORDS[name]})
    return answer.json()["access_token"]


def _log_in(page, url: str, name: str) -> None:
    page.goto(f"{url}/backoffice/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/backoffice/")


def test_a_back_office_day_then_an_auditor_who_cannot_write(server, browser, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    url, settings = server.url, server.settings
    artefacts = tmp_path / "artefacts"
    artefacts.mkdir()
    with _cases(settings) as con:
        kind, provider = con.execute(
            "select exception_type, provider from cases where status = 'new' "
            "and owner = 'provider_billing' group by 1, 2 order by count(*) desc limit 1"
        ).fetchone()
        expected_ids = {
            r[0]
            for r in con.execute(
                "select exception_id from cases where exception_type = ? and provider = ?",
                [kind, provider],
            )
        }

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        # Log in as the back office, filter the queue by type and provider.
        _log_in(page, url, CLERK)
        page.get_by_label("Type").select_option(kind)
        page.get_by_label("Provider").fill(provider)
        page.get_by_role("button", name="Filter").click()
        table = page.get_by_role("table", name="Exceptions")
        expect(page.locator("#total-count")).to_have_text(str(len(expected_ids)))
        rows = table.locator("tbody tr")
        expect(rows).to_have_count(min(50, len(expected_ids)))
        queue_url = page.url
        page.screenshot(path=artefacts / "queue.png", full_page=False)

        # Open the first exception.
        table.get_by_role("link", name=kind).first.click()
        page.wait_for_url(f"{url}/backoffice/exceptions/*")
        case_id = page.url.rsplit("/", 1)[1]
        assert case_id in expected_ids
        expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
        expect(page.get_by_role("heading", name="Source records, as landed")).to_be_visible()
        page.screenshot(path=artefacts / "exception.png", full_page=True)

        # Assign it, write a note, close it: each step lands in the case store.
        page.get_by_label("Assign to").select_option("marco")
        page.get_by_role("button", name="Assign").click()
        expect(page.get_by_role("status")).to_have_text("Saved.")
        with _cases(settings) as con:
            assert con.execute(
                "select assignee from cases where exception_id = ?", [case_id]
            ).fetchone() == ("marco",)

        note = "Asked the provider for a credit note; ticket 4711."
        page.get_by_role("textbox", name="Note").fill(note)
        page.get_by_role("button", name="Add note").click()
        expect(page.get_by_role("status")).to_have_text("Saved.")
        expect(page.get_by_text(note)).to_be_visible()
        with _cases(settings) as con:
            assert con.execute(
                "select actor, text from case_notes where exception_id = ?", [case_id]
            ).fetchall() == [(CLERK, note)]

        page.get_by_role("combobox", name="Status", exact=True).select_option("closed")
        page.get_by_role("combobox", name="Root cause").select_option("billing_system_error")
        page.get_by_role("button", name="Save status").click()
        expect(page.locator("#case-status")).to_have_text("closed")
        with _cases(settings) as con:
            assert con.execute(
                "select status, root_cause, closed_by from cases where exception_id = ?",
                [case_id],
            ).fetchone() == ("closed", "billing_system_error", CLERK)
            fields = [
                r[0]
                for r in con.execute(
                    "select field from case_history where exception_id = ? and actor = ? "
                    "order by history_id",
                    [case_id, CLERK],
                )
            ]
        assert fields[0] == "assignee" and "status" in fields and "root_cause" in fields

        # Back to the filtered queue, export it to Excel and read the file.
        page.goto(queue_url)
        with page.expect_download() as download:
            page.get_by_role("link", name="Export Excel").click()
        workbook = artefacts / "queue.xlsx"
        download.value.save_as(workbook)
        sheet = load_workbook(workbook).active
        header = [c.value for c in sheet[1]]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        exported = {r[header.index("exception_id")].value: r for r in sheet.iter_rows(min_row=2)}
        assert set(exported) == expected_ids
        closed = exported[case_id]
        assert closed[header.index("case_status")].value == "closed"
        assert closed[header.index("assignee")].value == "marco"
        assert closed[header.index("amount_eur")].data_type == "n"
        assert closed[header.index("detected_on")].is_date
    finally:
        page.screenshot(path=artefacts / "last-clerk-page.png")
        context.close()

    # The plugin is registered with Airflow: its app and its entry in Airflow's menu.
    plugins = httpx.get(f"{url}/api/v2/plugins", cookies={"_token": _token(url, AUDITOR)}).json()[
        "plugins"
    ]
    ours = next(p for p in plugins if p["name"] == "backoffice_review")
    assert ours["fastapi_apps"][0]["url_prefix"] == "/backoffice"
    assert ours["external_views"][0]["href"] == "/backoffice/"

    # The auditor reads everything, finds no way to write, and the server refuses anyway.
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, url, AUDITOR)
        expect(page.get_by_text("read-only")).to_be_visible()
        expect(page.get_by_role("button", name="Apply to ticked")).to_have_count(0)
        expect(page.get_by_role("checkbox", name=re.compile("^Tick"))).to_have_count(0)
        page.goto(f"{url}/backoffice/exceptions/{case_id}")
        expect(page.get_by_role("heading", name="History")).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("Assign|Save|Add note"))).to_have_count(0)
        expect(page.locator("form[method=post]")).to_have_count(0)
        refused = page.request.post(
            f"{url}/backoffice/exceptions/{case_id}", form={"status": "in_progress"}
        )
        assert refused.status == 403
        refused = page.request.post(
            f"{url}/backoffice/bulk", form={"exception_id": case_id, "assignee": "paolo"}
        )
        assert refused.status == 403
        page.screenshot(path=artefacts / "auditor-exception.png", full_page=True)
        # Feeds, one click from anywhere: every registry feed as the last night judged it.
        page.get_by_role("navigation", name="Back office").get_by_role("link", name="Feeds").click()
        expect(page.get_by_role("heading", name="Feeds", exact=True)).to_be_visible()
        feeds = load_registry(settings.registry_path).feeds()
        rows = page.get_by_role("table", name="Feed health").locator("tbody tr")
        expect(rows).to_have_count(len(feeds))
        expect(rows.first.get_by_role("rowheader")).to_have_text(f"{feeds[0][0]}/{feeds[0][1]}")
        page.screenshot(path=artefacts / "feeds.png", full_page=True)
    finally:
        context.close()
    anonymous = httpx.post(f"{url}/backoffice/exceptions/{case_id}", data={"note": "x"})
    assert anonymous.status_code == 401
    with _cases(settings) as con:
        assert con.execute(
            "select status, assignee from cases where exception_id = ?", [case_id]
        ).fetchone() == ("closed", "marco")
        assert con.execute(
            "select count(*) from case_history where actor = ?", [AUDITOR]
        ).fetchone() == (0,)

    # The README's screenshots: written when missing, refreshed on demand (a normal run
    # leaves the working tree as it found it).
    images = PROJECT / "docs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    refresh = os.environ.get("BACKOFFICE_REFRESH_SCREENSHOTS") == "1"
    for shot, name in (
        ("queue.png", "review-queue.png"),
        ("exception.png", "review-exception.png"),
    ):
        if refresh or not (images / name).exists():
            shutil.copyfile(artefacts / shot, images / name)
