"""`dbt parse` works before any warehouse exists, and without `as_of`.

A data directory's first night starts dbt's whole parse in a process of its own
(`dbt_runner.start_first_parse`, called by `backoffice run` before Airflow starts), before
the night has created the warehouse; the night's first dbt layer waits for it and starts
from the parse it made.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.output_md import OUTPUT_MD_COLUMNS

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")

MARTS = {
    "exceptions",
    "exception_history",
    "order_lines",
    "invoice_lines",
    "landed_files",
    "quarantined_rows",
    "unmapped_provider_states",
}


def test_dbt_parse_needs_no_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "absent" / "warehouse.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env["BACKOFFICE_WAREHOUSE_PATH"] = str(warehouse)
    done = subprocess.run(
        [
            str(DBT),
            "parse",
            "--profiles-dir",
            str(DBT_PROJECT),
            "--project-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--no-partial-parse",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[WARNING]" not in done.stdout, done.stdout
    assert not warehouse.exists()

    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    models = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    assert set(models) >= MARTS
    for name in MARTS:
        assert models[name]["schema"] == "marts", name
    assert models["stg_crm__signed_orders"]["schema"] == "staging"
    assert models["int_order_timeline"]["schema"] == "intermediate"
    assert models["exception_history"]["config"]["materialized"] == "incremental"
    assert models["exception_history"]["config"]["full_refresh"] is False
    # the mart's documented columns are OUTPUT.md's, in order
    assert list(models["exceptions"]["columns"]) == list(OUTPUT_MD_COLUMNS)
    for node in models.values():
        assert node["description"], f"{node['name']} has no description"


def _invocations(log: Path) -> list[str]:
    """dbt.log cut into one block per dbt invocation (each starts with "Running with dbt=")."""
    return log.read_text(encoding="utf-8").split("Running with dbt=")[1:]


def test_a_first_night_parses_beside_it_and_its_first_dbt_call_waits_for_that_parse(tmp_path):
    """The background parse holds its lock before `start_first_parse` returns; a dbt call of the
    same data directory started at once waits for it, then finds the parse made (one full parse
    in all), and a data directory that has a parse starts none."""
    from backoffice.dbt_runner import run_dbt, start_first_parse, target_dir
    from backoffice.settings import Settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "BACKOFFICE_"))}
    env |= {"BACKOFFICE_PROJECT_DIR": str(REPO), "BACKOFFICE_DATA_DIR": str(tmp_path / "data")}
    settings = Settings.from_env(env)
    parse = start_first_parse(settings, env)
    assert parse is not None, "no parse started on a data directory dbt never parsed"
    listed = run_dbt(settings, "ls", "--select", "path:models/staging", "--resource-type", "model")
    assert parse.wait(timeout=120) == 0
    assert "stg_crm__signed_orders" in " ".join(listed.listed)
    background, first_layer = _invocations(target_dir(settings).parent / "logs" / "dbt.log")
    assert "Unable to do partial parsing because saved manifest not found" in background
    # had it not waited, it would have found no parse either and made its own
    assert "Unable to do partial parsing" not in first_layer, first_layer[:2000]
    assert not settings.build_warehouse.exists(), "parsing needs no warehouse"
    assert start_first_parse(settings, env) is None, "a parse exists: none started"
