"""The nightly DAG driven through Airflow by the real CLI: the one test that does.

What a night publishes is tested on nights run in process (tests/integration/
test_dag_night.py, on the shared `published_nights`). Here the same second night
(9 March 2026) is run again through Airflow (`backoffice run` → `airflow dags test`) on a
copy of those nights, and the tests check what only Airflow gives: every task of the DAG
ran and succeeded in its pool, Airflow's OpenLineage events, the run's summary and log, and
that Airflow publishes exactly what the night in process published (the very same steps;
a rerun of a date changes nothing). A second, short Airflow run with one model broken on
purpose shows what the UI shows of a failed model: its layer's task fails, and the task's
log and `backoffice run` name the model with dbt's message.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from backoffice import publish
from backoffice.orchestration import DBT_LAYERS
from backoffice.settings import Settings

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
SECOND = date(2026, 3, 9)
BROKEN_MODEL = "stg_crm__signed_orders"
BROKEN_COLUMN = "broken_on_purpose_by_the_test"
WRITERS = {"begin_run", "ingest", "import_cases", "check", "record_night", "publish"}


class Pipeline:
    """The product as a user drives it: the `backoffice` command on one data directory."""

    def __init__(self, root: Path, project: Path | None = None) -> None:
        self.root = root
        self.left_open: list[str] = []  # write-ahead logs found after the run
        self.airflow_log = ""  # the good night's (a rerun of the date rewrites the file)
        self.env = {
            **os.environ,
            "BACKOFFICE_LANDING_DIR": str(root / "landing"),
            "BACKOFFICE_DATA_DIR": str(root / "data"),
        }
        self.env.pop("AIRFLOW_HOME", None)  # the run keeps Airflow's home in its data dir
        if project:
            self.env["BACKOFFICE_PROJECT_DIR"] = str(project)

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.env)

    def backoffice(self, *args: str) -> subprocess.CompletedProcess:
        cli = Path(sys.executable).with_name("backoffice")
        return subprocess.run(
            [str(cli), *args], env=self.env, cwd=PROJECT, capture_output=True, text=True
        )

    def run(self, as_of: date) -> subprocess.CompletedProcess:
        return self.backoffice("run", "--as-of", as_of.isoformat())

    def exceptions(self) -> list[dict[str, str]]:
        done = self.backoffice("exceptions", "--format", "csv")
        assert done.returncode == 0, done.stderr
        return list(csv.DictReader(io.StringIO(done.stdout)))

    def query(self, sql: str) -> list[tuple]:
        with publish.connect_published(self.settings) as con:
            return con.execute(sql).fetchall()

    def xcoms(self) -> dict[str, Any]:
        """Each task's returned value (its XCom, as the UI shows it) in the first DAG run."""
        db = self.settings.airflow_home / "airflow.db"
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            rows = con.execute(
                "select task_id, value from xcom where key = 'return_value' "
                "and dag_run_id = (select min(dag_run_id) from xcom)"
            ).fetchall()
        values = {task: json.loads(value) for task, value in rows}
        return {task: json.loads(v) if isinstance(v, str) else v for task, v in values.items()}

    def task_instances(self) -> list[sqlite3.Row]:
        """Airflow's own record of the runs' tasks (what the UI's grid shows)."""
        db = self.settings.airflow_home / "airflow.db"
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            con.row_factory = sqlite3.Row
            return con.execute(
                "select run_id, task_id, map_index, state, pool, try_number from task_instance"
            ).fetchall()


@pytest.fixture(scope="module")
def night(published_nights, tmp_path_factory):
    """The shared nights copied, then the second night again through Airflow."""
    root = tmp_path_factory.mktemp("airflow-night")
    shutil.copytree(published_nights.root, root, dirs_exist_ok=True, symlinks=True)
    pipeline = Pipeline(root)
    files_before = pipeline.query("select * from raw.landed_files order by file_path")
    done = pipeline.run(SECOND)
    assert done.returncode == 0, f"the run through Airflow failed:\n{done.stderr}\n{done.stdout}"
    # what the night's process left open when it ended (backoffice/night/airflow_cli.py)
    pipeline.left_open = sorted(str(p) for p in root.rglob("*") if p.name.endswith("-wal"))
    log = pipeline.settings.runs_dir / SECOND.isoformat() / "airflow.log"
    pipeline.airflow_log = log.read_text(encoding="utf-8")
    return pipeline, done, files_before


def test_airflow_publishes_what_the_night_in_process_published(published_nights, night):
    pipeline, done, files_before = night
    assert "EUR" in done.stdout, "the run ends with its summary"
    summary = pipeline.settings.runs_dir / SECOND.isoformat() / "summary.txt"
    assert done.stdout == summary.read_text(encoding="utf-8")
    assert pipeline.exceptions() == published_nights.exceptions[SECOND]
    # a rerun of the date lands nothing twice
    assert pipeline.query("select * from raw.landed_files order by file_path") == files_before
    assert publish.current_publication(pipeline.settings) != published_nights.publications[SECOND]


def test_the_night_ends_with_its_databases_closed(night):
    """The night's process exits quickly (its objects frozen, not collected again) but closes
    its connections first: SQLite's write-ahead logs (Airflow's, the case store's) are
    checkpointed and removed, as a normal exit does."""
    pipeline, _, _ = night
    assert pipeline.left_open == []


def test_every_task_ran_once_and_succeeded_in_its_pool(night):
    pipeline, _, _ = night
    tasks = pipeline.task_instances()
    [run_id] = {t["run_id"] for t in tasks}
    assert all(t["state"] == "success" for t in tasks), [dict(t) for t in tasks]
    names = {t["task_id"] for t in tasks}
    assert {f"dbt.{layer.name}" for layer in DBT_LAYERS} <= names
    assert names >= WRITERS
    for t in tasks:
        writes = t["task_id"] in WRITERS or t["task_id"].startswith("dbt.")
        assert t["pool"] == ("duckdb_writer" if writes else "default_pool"), dict(t)
        assert t["try_number"] == 1, dict(t)
    assert [t["map_index"] for t in tasks if t["task_id"] == "ingest"] == [-1], "one ingest task"
    assert run_id


def test_the_ingest_task_reports_every_feed_and_unchanged_seeds_are_not_reloaded(night):
    """What the UI shows of the one ingest task (each feed's counts in its XCom) and of the
    seeds' task on a night whose seeds did not change (its XCom says why it did nothing)."""
    from backoffice.registry import load_registry

    pipeline, _, _ = night
    xcoms = pipeline.xcoms()
    feeds = load_registry(pipeline.settings.registry_path).feeds()
    loaded = xcoms["ingest"]["feeds"]
    assert sorted(loaded) == sorted(f"{source}/{feed}" for source, feed in feeds)
    assert all("files_loaded" in counts for counts in loaded.values()), loaded
    seeds = xcoms["dbt.seeds"]
    assert seeds["nodes"] == [] and "seeds unchanged" in seeds["skipped"], seeds
    assert xcoms["dbt.staging"]["nodes"], "the other layers build as before"


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_openlineage_has_a_complete_event_for_every_task_and_every_dbt_model(night):
    """Airflow's OpenLineage provider and the night's dbt artifacts write events to files in
    the data directory: no lineage server is needed."""
    from airflow.dag_processing.dagbag import DagBag

    pipeline, _, _ = night
    lineage = pipeline.settings.data_dir / "lineage"
    dag = DagBag(dag_folder=str(PROJECT / "dags")).dags["backoffice_nightly"]
    completed = {
        e["job"]["name"]
        for e in _events(lineage / "airflow.ndjson")
        if e.get("eventType") == "COMPLETE"
    }
    assert {f"backoffice_nightly.{t}" for t in dag.task_ids} <= completed
    assert "backoffice_nightly" in completed, "the DAG run itself"

    target = pipeline.settings.data_dir / "dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    built = {
        (n["schema"], n["name"])
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"].get("materialized") != "ephemeral"
    }
    night_events = _events(lineage / "dbt" / f"{SECOND.isoformat()}.ndjson")
    done = {e["job"]["name"] for e in night_events if e.get("eventType") == "COMPLETE"}
    missing = {(schema, name) for schema, name in built if not any(
        f".{schema}.backoffice.{name}." in job or job.endswith(f".{schema}.{name}") for job in done
    )}  # fmt: skip
    assert not missing, f"no COMPLETE event for {sorted(missing)}"


@pytest.fixture(scope="module")
def failed_night(night, tmp_path_factory):
    """The same data directory, a project whose staging model is broken: a night that fails
    at the staging layer, after the good night above."""
    pipeline, _, _ = night
    project = tmp_path_factory.mktemp("broken-project")
    for part in ("dags", "config", "expectations"):
        shutil.copytree(PROJECT / part, project / part)
    shutil.copytree(
        PROJECT / "dbt_project",
        project / "dbt_project",
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    broken = next((project / "dbt_project" / "models").rglob(f"{BROKEN_MODEL}.sql"))
    # a column the landed table does not have: DuckDB refuses the view when dbt creates it
    broken.write_text(
        f"select {BROKEN_COLUMN} from {{{{ source('crm', 'crm_signed_orders') }}}}\n",
        encoding="utf-8",
    )
    failing = Pipeline(pipeline.root, project=project)
    before = publish.current_publication(pipeline.settings)
    exceptions_before = pipeline.exceptions()
    done = failing.run(SECOND)
    return pipeline, failing, done, before, exceptions_before


def test_a_failed_model_fails_its_layer_named_in_the_task_log(failed_night):
    pipeline, failing, done, before, exceptions_before = failed_night
    assert done.returncode != 0
    node = f"model.backoffice.{BROKEN_MODEL}"
    # `backoffice run` names the model and dbt's message
    assert f"dbt build failed: {node}" in done.stderr, done.stderr
    assert BROKEN_COLUMN in done.stderr
    # Airflow: the staging layer failed, the layers and steps after it never ran
    runs = {}
    for t in failing.task_instances():
        runs.setdefault(t["run_id"], {})[t["task_id"]] = t["state"]
    [states] = [s for s in runs.values() if s.get("dbt.staging") == "failed"]
    assert states["dbt.seeds"] == "success"
    assert states.get("dbt.intermediate") != "success" and states.get("publish") != "success"
    # the task's log, as the UI shows it: an ERROR line naming the model with dbt's message
    log = (failing.settings.runs_dir / SECOND.isoformat() / "airflow.log").read_text("utf-8")
    error_lines = [line for line in log.splitlines() if f"dbt error {node}" in line]
    assert error_lines, "no ERROR line naming the model in the task's log"
    assert BROKEN_COLUMN in log[log.index(error_lines[0]) :][:600], error_lines
    # nothing was published: the readers keep the good night
    assert publish.current_publication(pipeline.settings) == before
    assert pipeline.exceptions() == exceptions_before


def test_a_first_night_makes_airflow_ready_in_its_own_process(failed_night):
    """After the failed night (a rerun of the date replaces its run, so this comes last).

    The copied nights had no Airflow home: the night's own `airflow dags test` process made
    the metadata database and the writer pool before the DAG ran (one Airflow start instead
    of three, docs/airflow-dbt.md), and the next night on that home did not make them again."""
    pipeline, failing, _, _, _ = failed_night
    home = pipeline.settings.airflow_home
    assert (home / ".backoffice-ready").is_file()
    with sqlite3.connect(f"file:{home / 'airflow.db'}?mode=ro", uri=True) as con:
        pools = dict(con.execute("select pool, slots from slot_pool").fetchall())
    assert pools.get("duckdb_writer") == 1, pools
    made = "Airflow database tables created"
    good = pipeline.airflow_log
    assert made in good and good.index(made) < good.index("Created dag run"), "not made first"
    second = (failing.settings.runs_dir / SECOND.isoformat() / "airflow.log").read_text("utf-8")
    assert "Created dag run" in second and made not in second, "made again on the next night"
