"""Every DAG file imports cleanly, is wired as intended, and carries no secrets."""

import itertools
import json
import logging
import re
from datetime import date
from pathlib import Path

import pytest

from backoffice import pipeline
from backoffice.dbt_runner import DbtFailedError, run_dbt, run_results_archive
from backoffice.orchestration import CI_ONLY_TESTS, DBT_LAYERS
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
    assert {"begin_run", "ingest", "check", "publish", "summarize"} <= ids
    # One task loads every feed (its XCom has each feed's counts): no mapped task per feed.
    ingest = dag.task_dict["ingest"]
    assert type(ingest).__name__ != "MappedOperator" and "list_feeds" not in ids
    assert ingest.upstream_task_ids == {"begin_run"} and ingest.retries == 2
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
    """`dbt build` split in layers builds nothing twice and leaves out only what CI runs:
    dbt's unit tests and the data tests of `CI_ONLY_TESTS` (the models' logic, the seeds)."""
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})

    def names(*selection: str) -> list[str]:
        listed = run_dbt(settings, "ls", "--resource-type", "all", *selection,
                         "--output", "json", "--output-keys", "unique_id")  # fmt: skip
        return [json.loads(line)["unique_id"] for line in listed.listed]

    everything = names()
    unit_tests = [n for n in everything if n.startswith("unit_test.")]
    assert unit_tests, "the project has dbt unit tests (CI runs them, the night does not)"
    ci_only = names("--select", *CI_ONLY_TESTS)
    assert ci_only and all(n.startswith("test.") for n in ci_only), ci_only
    per_layer = {layer.name: names(*layer.arguments()) for layer in DBT_LAYERS}
    assert all(per_layer.values()), per_layer
    flat = [node for nodes in per_layer.values() for node in nodes]
    assert sorted(flat) == sorted(set(everything) - set(unit_tests) - set(ci_only))
    assert any(n.startswith("seed.") for n in per_layer["seeds"])
    assert "model.backoffice.stg_crm__signed_orders" in per_layer["staging"]
    assert "model.backoffice.exceptions" in per_layer["marts"]
    # What guards the night's data stays in the night: the sources' and staging's tests, the
    # marts' keys, the audit's row lineage, the singular tests on the night's figures.
    tests = [n for n in everything if n.startswith("test.")]
    kept = set(flat)
    staging_tests = [n for n in tests if "stg_" in n or n.startswith("test.backoffice.source_")]
    assert staging_tests and set(staging_tests) <= kept
    assert any(n.startswith("test.backoffice.unique_exceptions_exception_id") for n in kept)
    assert any(n.startswith("test.backoffice.not_null_row_lineage_") for n in kept)
    assert "test.backoffice.assert_customer_balances_reconcile" in per_layer["marts"]
    # (it hangs on an intermediate model: the intermediate tests' exclusion once swallowed it)
    assert "test.backoffice.assert_as_of_inside_the_calendar" in per_layer["marts"]
    assert "test.backoffice.assert_rounding_half_away_from_zero" in ci_only
    assert not [n for n in per_layer["intermediate"] if n.startswith("test.")]
    assert len(ci_only) < len(tests)


def test_each_layer_of_a_night_keeps_its_dbt_results(published_nights):
    """The layers' run results, kept one per invocation for the audit to merge.

    The first night loads the seeds; the second finds them unchanged and does not invoke dbt
    for them (tests/integration/test_dag_unchanged.py): three invocations that night."""
    first, second = published_nights.dates
    for as_of, layers in ((first, DBT_LAYERS), (second, DBT_LAYERS[1:])):
        files = sorted(run_results_archive(published_nights.settings, as_of).glob("*.json"))
        assert len(files) == len(layers), (as_of, files)
        payloads = [json.loads(f.read_text(encoding="utf-8")) for f in files]
        invocations = {p["metadata"]["invocation_id"] for p in payloads}
        assert len(invocations) == len(layers)
        kinds = [{r["unique_id"].split(".")[0] for r in p["results"]} for p in payloads]
        if as_of == first:
            assert kinds[0] <= {"seed", "test"} and "seed" in kinds[0], "the seeds come first"
        else:
            assert not any("seed" in k for k in kinds), "unchanged seeds are not reloaded"
        # the last layer's, written by dbt to the target folder, is the one archived last
        assert "model" in kinds[-1] and any(
            r["unique_id"] == "model.backoffice.exceptions" for r in payloads[-1]["results"]
        )
        statuses = {r["status"] for p in payloads for r in p["results"]}
        assert statuses <= {"success", "pass"}, statuses


def test_dbt_parses_the_project_once_across_nights(published_nights):
    """The as-of date does not invalidate dbt's partial parse: one full parse in two nights.

    dbt.log is kept at info level: each invocation starts with "Running with dbt=", and a
    full parse says why ("Unable to do partial parsing because ..."); only the very first
    invocation, which finds no saved parse, may say it."""
    logs = published_nights.settings.data_dir / "dbt" / "logs"
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in logs.glob("dbt.log*"))
    # every layer of the first night, every layer but the unchanged seeds of the second
    assert text.count("Running with dbt=") >= 2 * len(DBT_LAYERS) - 1
    reasons = re.findall(r"Unable to do partial parsing because ([^\n]*)", text)
    assert reasons == ["saved manifest not found. Starting full parse."], reasons


def test_a_failed_model_fails_its_layer_and_is_named_in_its_log(tmp_path, caplog):
    """What the Airflow UI shows of a failed model: the layer task fails naming it, with dbt's
    message, and the task log has an ERROR line for it (the build here has no raw tables)."""
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})
    settings.build_warehouse.parent.mkdir(parents=True)
    with (
        caplog.at_level(logging.INFO, logger="backoffice.dbt_runner"),
        pytest.raises(DbtFailedError) as failed,
    ):
        pipeline.build_layer(settings, date(2026, 3, 2), "staging")
    assert "dbt build failed: model.backoffice.stg_" in str(failed.value)
    assert "raw" in str(failed.value)  # dbt's message: the raw table it could not read
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(m.startswith("dbt error model.backoffice.stg_") for m in errors), errors
    assert any("Runtime Error in model stg_" in m for m in errors), errors


def test_the_dag_offers_a_full_refresh_that_is_off_by_default(dagbag):
    """`backoffice run --full-refresh` sets this param; a scheduled night never does."""
    params = dagbag.dags["backoffice_nightly"].params
    assert "full_refresh" in params
    assert params["full_refresh"] is False
