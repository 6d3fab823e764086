"""
### Back-office nightly run

Every night at 02:00 Italian time, judge the previous day: load what the
providers and the CRM delivered, rebuild the order-lifecycle warehouse with
dbt, check it with Great Expectations, and publish it for the back office only
if every check passed.

One `ingest` task loads every feed of the registry (its log has a line per feed,
its XCom each feed's counts; a feed that cannot be loaded fails it by name, a bad
file never does). dbt runs as one task per layer (seeds, staging, intermediate,
marts): a failed model fails its layer's task, whose log names it with dbt's
message; the task's XCom lists every node it built or tested, with its status and
seconds. The seeds are reloaded only when they changed (the task says so).

`backoffice run --as-of YYYY-MM-DD` runs this same DAG for a chosen date
(the `as_of` param). Every task writing the build warehouse takes the one
slot of the `duckdb_writer` pool: DuckDB allows one writer at a time.
"""

from datetime import date, timedelta

import pendulum
from airflow.sdk import Param, TaskGroup, chain, dag, task

from backoffice import pipeline
from backoffice.airflow_env import WRITER_POOL
from backoffice.assets import published_warehouse, raw_tables
from backoffice.orchestration import DBT_LAYERS
from backoffice.preflight import DAG_START_DATE
from backoffice.settings import Settings

settings = Settings.from_env()


@dag(
    dag_id="backoffice_nightly",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(*DAG_START_DATE.timetuple()[:3], tz="Europe/Rome"),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["backoffice", "nightly", "controls"],
    default_args={"retries": 1, "retry_delay": timedelta(minutes=2), "pool": WRITER_POOL},
    params={
        "as_of": Param(
            None,
            type=["null", "string"],
            format="date",
            description="Judge as of this date (YYYY-MM-DD); default: the day before the run.",
        ),
        "full_refresh": Param(
            False,
            type="boolean",
            description="Rebuild the incremental models from the raw data (after a dbt macro "
            "change); the history is kept.",
        ),
    },
)
def backoffice_nightly():
    @task
    def begin_run(params=None, logical_date=None) -> dict:
        as_of = pipeline.resolve_as_of(params.get("as_of"), logical_date)
        return {
            **pipeline.begin_run(settings, as_of),
            "full_refresh": bool(params.get("full_refresh")),
        }

    @task(retries=2, outlets=raw_tables)
    def ingest(run: dict) -> dict:
        return pipeline.ingest_feeds(settings, date.fromisoformat(run["as_of"]))

    @task
    def import_cases(run: dict) -> dict:
        return pipeline.import_cases(settings, date.fromisoformat(run["as_of"]))

    @task(retries=0)
    def dbt_build(run: dict, layer: str) -> dict:
        as_of = date.fromisoformat(run["as_of"])
        return pipeline.build_layer(
            settings, as_of, layer, full_refresh=bool(run.get("full_refresh"))
        )

    @task(retries=0)
    def check(run: dict, run_id=None) -> dict:
        return pipeline.check_build(settings, date.fromisoformat(run["as_of"]), run_id)

    @task
    def record_night(run: dict, run_id=None) -> dict:
        return pipeline.record_night(settings, date.fromisoformat(run["as_of"]), run_id)

    @task(outlets=[published_warehouse])
    def publish(run: dict) -> dict:
        return pipeline.publish_build(settings, date.fromisoformat(run["as_of"]))

    @task(pool="default_pool")
    def summarize(run: dict) -> dict:
        return pipeline.summarize(settings, date.fromisoformat(run["as_of"]))

    @task(pool="default_pool")
    def sync_cases(run: dict) -> dict:
        return pipeline.sync_cases(settings, date.fromisoformat(run["as_of"]))

    @task(pool="default_pool")
    def send_digests(run: dict) -> dict:
        return pipeline.send_digests(settings, date.fromisoformat(run["as_of"]))

    run = begin_run()
    with TaskGroup(group_id="dbt", tooltip="dbt build, one task per layer") as dbt:
        chain(*(dbt_build.override(task_id=layer.name)(run, layer.name) for layer in DBT_LAYERS))
    checked = check(run)
    ingest(run) >> import_cases(run) >> dbt >> checked
    published = checked >> record_night(run) >> publish(run)
    published >> summarize(run) >> sync_cases(run) >> send_digests(run)


backoffice_nightly()
