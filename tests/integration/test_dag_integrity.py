"""Every DAG file imports cleanly, is wired as intended, and carries no secrets."""

import re
from pathlib import Path

import pytest

from backoffice.airflow_env import airflow_environment, ensure_dbt_manifest
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(DAGS_DIR.glob("*.py"))


@pytest.fixture(scope="module")
def dagbag():
    settings = Settings.from_env()
    ensure_dbt_manifest(settings, airflow_environment(settings))
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
    dbt_tasks = [t for t in ids if t.startswith("dbt.")]
    assert any(t.endswith("_run") for t in dbt_tasks), "each dbt model should be a task"
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
