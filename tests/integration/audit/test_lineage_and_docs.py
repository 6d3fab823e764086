"""OpenLineage files, dbt docs and Data Docs of the nights: there, whole, and readable offline."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from audit_support import AuditNights, three_nights

from backoffice.audit import docs, lineage

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def nights(published_nights, tmp_path_factory) -> AuditNights:
    return three_nights(published_nights, tmp_path_factory)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_dbt_events_complete_per_model_with_column_lineage_to_raw(nights) -> None:
    from backoffice.dbt_runner import target_dir

    night = nights.dates[-1]
    events = list(lineage.read_events(lineage.dbt_events_file(nights.settings, night)))
    ran = lineage.run_results(target_dir(nights.settings), night)
    models = {r["unique_id"] for r in ran["results"] if r["unique_id"].startswith("model.")}
    assert "model.backoffice.exceptions" in models
    completed = {
        e["job"]["facets"]["dbt_node"]["unique_id"]
        for e in events
        if e.get("eventType") == "COMPLETE" and "dbt_node" in e["job"].get("facets", {})
    }
    assert models <= completed
    sources = lineage.column_sources(events, "warehouse.marts.exceptions", "amount_eur")
    assert ("warehouse.raw.invoice_lines", "net_amount") in sources
    assert ("warehouse.raw.crm_signed_orders", "unit_price") in sources
    assert ("warehouse.raw.provider_orders", "unit_price") in sources


def test_airflow_lineage_settings_write_events_to_the_data_dir(nights) -> None:
    from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
    from openlineage.client.transport.file import FileConfig, FileTransport
    from openlineage.client.uuid import generate_new_uuid

    env = lineage.airflow_environment(nights.settings)
    assert env["AIRFLOW__OPENLINEAGE__DISABLED"] == "False"
    config = json.loads(env["AIRFLOW__OPENLINEAGE__TRANSPORT"])
    path = lineage.airflow_events_file(nights.settings)
    assert config["type"] == "file" and config["log_file_path"] == str(path)
    assert path.is_relative_to(nights.settings.data_dir)
    before = len(list(lineage.read_events(path)))
    transport = FileTransport(FileConfig.from_dict(config))  # what the provider builds from it
    event = RunEvent(
        eventType=RunState.COMPLETE,
        eventTime=datetime.now(UTC).isoformat(),
        run=Run(runId=str(generate_new_uuid())),
        job=Job(namespace=env["AIRFLOW__OPENLINEAGE__NAMESPACE"], name="backoffice_nightly.check"),
        producer=lineage.PRODUCER,
    )
    transport.emit(event)
    written = list(lineage.read_events(path))
    assert len(written) == before + 1 and written[-1]["eventType"] == "COMPLETE"


def test_dbt_docs_describe_the_audit_models(nights) -> None:
    page = docs.dbt_docs_dir(nights.settings) / "index.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "The exceptions' history as changes, not copies" in text
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=\"https?://", text)  # opens offline
    manifest = json.loads(
        (docs.dbt_docs_dir(nights.settings) / "manifest.json").read_text(encoding="utf-8")
    )
    mine = [
        n
        for n in manifest["nodes"].values()
        if n.get("resource_type") == "model"
        and n["original_file_path"].startswith(("models/marts/exceptions/", "models/marts/audit/"))
    ]
    assert {n["name"] for n in mine} >= {"exceptions", "exception_history", "judged_nights"}
    assert docs.undocumented({"nodes": {n["unique_id"]: n for n in mine}}) == []


def test_data_docs_list_every_night_and_render_offline(nights) -> None:
    from playwright.sync_api import sync_playwright

    index = docs.data_docs_dir(nights.settings) / "index.html"
    html = index.read_text(encoding="utf-8")
    assert docs.OFFLINE_MARK in html
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=\"https?://", html)
    for night in nights.dates:
        assert f"in_process__{night}" in html  # every night's validations, not the latest only
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            remote: list[str] = []
            page.on("request", lambda r: remote.append(r.url))
            page.goto(index.as_uri())
            rows = page.get_by_role("row")
            assert rows.count() > 3 * 9  # a row per suite and night, and headers
            page.get_by_role("tab", name="Expectation Suites").click()
            assert page.get_by_role("tabpanel").filter(has_text="marts_exceptions").is_visible()
            assert [url for url in remote if not url.startswith("file:")] == []
        finally:
            browser.close()
