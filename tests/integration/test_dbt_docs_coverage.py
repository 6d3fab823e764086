"""dbt docs describe the whole warehouse: every model and seed, and every column it has.

Auditors read the nightly dbt docs to know what a figure means; a column without a
description is a question they must ask an engineer. The columns are the warehouse's own
(the published tables), compared with the descriptions of the night's dbt manifest.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from backoffice import publish
from backoffice.dbt_runner import target_dir

pytestmark = pytest.mark.integration


def test_every_model_seed_and_column_of_the_warehouse_is_described(published_nights):
    settings = published_nights.settings
    manifest = json.loads((target_dir(settings) / "manifest.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(publish.current_publication(settings)), read_only=True) as con:
        columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
        ).fetchall():
            columns.setdefault((schema, table), []).append(column)
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    assert len(nodes) > 30
    undescribed_models = [n["name"] for n in nodes if not n.get("description", "").strip()]
    assert not undescribed_models
    undescribed: dict[str, list[str]] = {}
    for node in nodes:
        relation = (node["schema"], node.get("alias") or node["name"])
        if node["config"].get("materialized") == "ephemeral":
            continue
        assert relation in columns, f"{relation} is not in the warehouse"
        described = {
            name for name, spec in node["columns"].items() if spec.get("description", "").strip()
        }
        missing = [c for c in columns[relation] if c not in described]
        if missing:
            undescribed[node["original_file_path"]] = missing
    assert not undescribed, f"columns without a description: {undescribed}"
