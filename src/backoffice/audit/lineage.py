"""OpenLineage: every task and every dbt model of a night, as events in files.

No lineage server is needed to run: events are JSON lines under `<data>/lineage/`.

- Airflow's OpenLineage provider (apache-airflow-providers-openlineage) writes a START and a
  COMPLETE (or FAIL) event for every task and DAG run to `lineage/airflow.ndjson`, through the
  client's file transport configured here (`airflow_environment`, merged into Airflow's
  environment by `backoffice.airflow_env`). A deployment that runs Marquez sets
  `AIRFLOW__OPENLINEAGE__TRANSPORT` itself (an HTTP transport), which wins over this default.
- dbt runs in process (`backoffice.dbt_runner`), so its events are made from the night's dbt
  artifacts (manifest.json and run_results.json) by openlineage-integration-common's dbt
  artifact processor, the same code `dbt-ol` uses: a START and a COMPLETE event per model, test
  and seed, each model's output carrying a `columnLineage` facet parsed from its compiled SQL.
  They go to `lineage/dbt/<as-of>.ndjson`, one file per night (a rerun rewrites its night).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from backoffice.settings import Settings

log = logging.getLogger(__name__)

NAMESPACE = "backoffice"
PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/integration/dbt"


def lineage_dir(settings: Settings) -> Path:
    return settings.data_dir / "lineage"


def airflow_events_file(settings: Settings) -> Path:
    return lineage_dir(settings) / "airflow.ndjson"


def dbt_events_file(settings: Settings, as_of: date) -> Path:
    return lineage_dir(settings) / "dbt" / f"{as_of.isoformat()}.ndjson"


def airflow_environment(settings: Settings) -> dict[str, str]:
    """The settings Airflow's OpenLineage provider needs (merged into Airflow's environment)."""
    lineage_dir(settings).mkdir(parents=True, exist_ok=True)
    transport = {
        "type": "file",
        "log_file_path": str(airflow_events_file(settings)),
        "append": True,
    }
    return {
        "AIRFLOW__OPENLINEAGE__DISABLED": "False",
        "AIRFLOW__OPENLINEAGE__NAMESPACE": NAMESPACE,
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(transport),
        # Events are written by the task itself, not by a thread that may die with it.
        "AIRFLOW__OPENLINEAGE__EXECUTION_TIMEOUT": "30",
        "OPENLINEAGE_CLIENT_LOGGING": "WARNING",
    }


def run_results(target: Path, as_of: date) -> dict[str, Any] | None:
    """The night's dbt results, merged: `run_results.json` and any per-invocation copies.

    The night builds in layers (one dbt invocation each), and dbt rewrites run_results.json
    every time; copies kept under `run_results/<as-of>/` (one per invocation) are merged by
    node, the latest result of a node winning. `invocation_ids` lists every invocation read.
    """
    archive = target / "run_results" / as_of.isoformat()
    files = sorted(archive.glob("*.json")) if archive.is_dir() else []
    files = [*files, target / "run_results.json"]
    merged: dict[str, Any] | None = None
    by_node: dict[str, dict[str, Any]] = {}
    invocations: list[str] = []
    for path in files:
        if not path.is_file():
            continue
        payload = json.loads(path.read_text(encoding="utf-8"))
        invocation = payload.get("metadata", {}).get("invocation_id")
        if invocation and invocation not in invocations:
            invocations.append(invocation)
        if merged is None or payload["metadata"].get("generated_at", "") >= merged["metadata"].get(
            "generated_at", ""
        ):
            merged = payload
        for result in payload.get("results", []):
            by_node[result["unique_id"]] = result
    if merged is None:
        return None
    merged = dict(merged)
    merged["args"] = {**merged.get("args", {}), "which": "build"}
    merged["results"] = list(by_node.values())
    merged["invocation_ids"] = invocations
    return merged


def _warehouse_columns(warehouse: Path) -> dict[str, list[str]]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_catalog, table_schema, table_name, column_name "
            "from information_schema.columns order by all"
        ).fetchall()
    columns: dict[str, list[str]] = {}
    for catalog, schema, table, column in rows:
        columns.setdefault(f"{catalog}.{schema}.{table}".lower(), []).append(column)
    return columns


def emit_dbt_events(settings: Settings, as_of: date) -> Path:
    """Write the night's dbt OpenLineage events (with column lineage) to a file; return it."""
    from openlineage.client.event_v2 import Job, JobEvent, OutputDataset
    from openlineage.client.facet_v2 import column_lineage_dataset
    from openlineage.client.serde import Serde
    from openlineage.common.provider.dbt.local import DbtLocalArtifactProcessor

    from backoffice.audit.columns import model_column_lineage
    from backoffice.dbt_runner import WAREHOUSE_ENV, target_dir

    target = target_dir(settings)
    results = run_results(target, as_of)
    if results is None or not (target / "manifest.json").is_file():
        raise FileNotFoundError(f"no dbt artifacts of the night in {target}")
    work = target.parent / "lineage_artifacts"
    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target / "manifest.json", work / "manifest.json")
    (work / "run_results.json").write_text(json.dumps(results), encoding="utf-8")
    previous = os.environ.get(WAREHOUSE_ENV)
    os.environ[WAREHOUSE_ENV] = str(settings.build_warehouse)  # the profile reads it
    try:
        processor = DbtLocalArtifactProcessor(
            producer=PRODUCER,
            job_namespace=NAMESPACE,
            project_dir=str(settings.dbt_project_dir),
            target_path=str(work),
            dbt_command_line=["dbt", "build", "--profiles-dir", str(settings.dbt_project_dir)],
        )
        processor.logger.setLevel(logging.ERROR)
        events = list(processor.parse().events())
    finally:
        if previous is None:
            os.environ.pop(WAREHOUSE_ENV, None)
        else:
            os.environ[WAREHOUSE_ENV] = previous
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    compiled = {
        f"{node['database']}.{node['schema']}.{node.get('alias') or node['name']}".lower(): (
            target / "compiled" / node["package_name"] / node["original_file_path"]
        )
        for node in manifest["nodes"].values()
        if node.get("resource_type") in ("model", "snapshot")
    }
    columns = _warehouse_columns(settings.build_warehouse)
    namespace = f"duckdb://{settings.build_warehouse}"

    def facet(dataset: str) -> Any:
        sql_file = compiled.get(dataset.lower())
        if sql_file is None or not sql_file.is_file():
            return None
        lineage = model_column_lineage(
            sql_file.read_text(encoding="utf-8"), columns.get(dataset.lower(), [])
        )
        fields = {
            column: column_lineage_dataset.Fields(
                inputFields=[
                    column_lineage_dataset.InputField(namespace=namespace, name=rel, field=src)
                    for rel, src in sorted(sources)
                ],
                transformationDescription="",
                transformationType="",
            )
            for column, sources in lineage.items()
            if sources
        }
        return column_lineage_dataset.ColumnLineageDatasetFacet(fields=fields) if fields else None

    for event in events:
        for output in event.outputs or []:
            if (found := facet(output.name)) is not None:
                output.facets["columnLineage"] = found
    # Static lineage of every model of the project (an OpenLineage JobEvent each), so the
    # column lineage is whole even for models whose run is not in this night's run_results.
    now = datetime.now(UTC).isoformat()
    for dataset in sorted(compiled):
        if (found := facet(dataset)) is None:
            continue
        events.append(
            JobEvent(
                eventTime=now,
                producer=PRODUCER,
                job=Job(namespace=NAMESPACE, name=f"{dataset}.lineage"),
                inputs=[],
                outputs=[
                    OutputDataset(
                        namespace=namespace, name=dataset, facets={"columnLineage": found}
                    )
                ],
            )
        )
    out = dbt_events_file(settings, as_of)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for event in events:
            fh.write(Serde.to_json(event) + "\n")
    tmp.replace(out)
    return out


def read_events(path: Path) -> Iterator[dict[str, Any]]:
    """The events of one lineage file, in order (a torn last line is skipped)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                log.warning("skipping an unreadable lineage line in %s", path)


def column_sources(events: list[dict[str, Any]], dataset: str, column: str) -> set[tuple[str, str]]:
    """Every (dataset, column) the column derives from, following columnLineage upstream."""
    edges: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for event in events:
        for output in event.get("outputs") or []:
            fields = ((output.get("facets") or {}).get("columnLineage") or {}).get("fields") or {}
            for name, spec in fields.items():
                key = (output["name"], name)
                for source in spec.get("inputFields") or []:
                    edges.setdefault(key, set()).add((source["name"], source["field"]))
    seen: set[tuple[str, str]] = set()
    todo = [(dataset, column)]
    while todo:
        node = todo.pop()
        for upstream in edges.get(node, ()):
            if upstream not in seen:
                seen.add(upstream)
                todo.append(upstream)
    return seen
