"""Every DAG file imports cleanly, is wired as intended, and carries no secrets."""

import itertools
import json
import re
from pathlib import Path

import pytest

from backoffice.dbt_runner import run_dbt
from backoffice.orchestration import DBT_LAYERS
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(DAGS_DIR.glob("*.py"))


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_dag_files_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "backoffice_nightly" in dagbag.dags


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_dag_files_hold_no_secrets(dag_file):
    text = dag_file.read_text(encoding="utf-8")
    assert not re.search(r"(password|secret|token|api_key)\s*=\s*['\"]", text, re.I)


def test_every_dag_has_tags_and_retries(dagbag):
    for dag in dagbag.dags.values():
        assert dag.tags, f"{dag.dag_id} has no tags"
        assert dag.default_args.get("retries", 0) >= 1, f"{dag.dag_id} has no retries"


def test_nightly_is_wired_ingest_dbt_check_publish(dagbag):
    dag = dagbag.dags["backoffice_nightly"]
    ids = set(dag.task_dict)
    assert {"begin_run", "list_feeds", "ingest", "check", "publish", "summarize"} <= ids
    dbt_tasks = [f"dbt.{layer.name}" for layer in DBT_LAYERS]
    assert [t for t in dag.task_dict if t.startswith("dbt.")] == dbt_tasks, "a task per layer"
    # The layers run in order: each one's only upstream is the layer before it.
    for before, after in itertools.pairwise(dbt_tasks):
        assert dag.task_dict[after].upstream_task_ids == {before, "begin_run"}, after
    assert dag.task_dict[dbt_tasks[0]].upstream_task_ids == {"begin_run", "import_cases"}
    assert all(dag.task_dict[t].retries == 0 for t in dbt_tasks)
    check = dag.task_dict["check"]
    assert check.retries == 0
    # Every dbt task runs before the checks, and publish only after them.
    assert all(t in check.get_flat_relative_ids(upstream=True) for t in dbt_tasks)
    assert "publish" in check.get_flat_relative_ids(upstream=False)
    assert "ingest" in dag.task_dict[dbt_tasks[0]].get_flat_relative_ids(upstream=True)
    # Tasks that write the warehouse share the one-slot pool.
    for task_id in ["begin_run", "ingest", "check", "publish", *dbt_tasks]:
        assert dag.task_dict[task_id].pool == "duckdb_writer", task_id
    assert dag.timezone.name == "Europe/Rome"
    assert dag.timetable.expression == "0 2 * * *"


def test_the_dbt_layers_build_every_node_once(tmp_path):
    """`dbt build` split in layers leaves out nothing and builds nothing twice."""
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})

    def names(*selection: str) -> list[str]:
        listed = run_dbt(settings, "ls", "--resource-type", "all", *selection,
                         "--output", "json", "--output-keys", "unique_id")  # fmt: skip
        return [json.loads(line)["unique_id"] for line in listed.listed]

    everything = names()
    per_layer = {layer.name: names(*layer.arguments()) for layer in DBT_LAYERS}
    assert all(per_layer.values()), per_layer
    flat = [node for nodes in per_layer.values() for node in nodes]
    assert sorted(flat) == sorted(everything)
    assert any(n.startswith("seed.") for n in per_layer["seeds"])
    assert "model.backoffice.stg_crm__signed_orders" in per_layer["staging"]
    assert "model.backoffice.exceptions" in per_layer["marts"]
    assert "test.backoffice.assert_rounding_half_away_from_zero" in per_layer["marts"]
