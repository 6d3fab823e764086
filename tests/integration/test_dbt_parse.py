"""`dbt parse` works before any warehouse exists, and without `as_of`.

The Airflow DAG renders its dbt tasks from `target/manifest.json` (Cosmos
LoadMode.DBT_MANIFEST), and `backoffice run` makes that manifest with
`dbt parse` before the first run has created the warehouse.
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
