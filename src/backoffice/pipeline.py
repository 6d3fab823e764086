"""The steps of the nightly run, as the DAG calls them (and nothing else does).

Each step takes the settings and the as-of date and returns a small JSON-able
dict, which Airflow keeps as the task's XCom: the run's trail in the UI.
"""

from __future__ import annotations

import logging
import shutil
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from backoffice import ingest, publish, report, summary
from backoffice.dbt_runner import run_results_archive
from backoffice.registry import load_registry
from backoffice.run_records import records
from backoffice.settings import Settings

ROME = ZoneInfo("Europe/Rome")

log = logging.getLogger(__name__)


class ChecksFailedError(RuntimeError):
    """The build did not pass its data checks; nothing was published."""


def resolve_as_of(requested: str | None, logical_date: datetime | None) -> date:
    """The date a run judges: as asked, or the Italian day before the scheduled night."""
    if requested:
        return date.fromisoformat(str(requested))
    if logical_date is None:
        raise ValueError("a run needs an as-of date or a logical date")
    return logical_date.astimezone(ROME).date() - timedelta(days=1)


def begin_run(settings: Settings, as_of: date) -> dict[str, Any]:
    """Start the private build from the current publication and lay down the raw schema."""
    from backoffice.feeds.health import record_feed_schedule
    from backoffice.preflight import check_before_night

    check_before_night(settings, as_of)
    warehouse = publish.start_build(settings)
    registry = load_registry(settings.registry_path)
    with duckdb.connect(str(warehouse)) as con:
        ingest.ensure_raw_schema(con, registry)
        record_feed_schedule(con, registry)
    records(settings, as_of).create()
    # A rerun of the night starts its dbt results afresh (each layer archives its own).
    shutil.rmtree(run_results_archive(settings, as_of), ignore_errors=True)
    return {"as_of": as_of.isoformat(), "warehouse": str(warehouse)}


class IngestFailedError(RuntimeError):
    """One or more feeds could not be loaded (not a bad file: those are quarantined)."""


def ingest_feeds(settings: Settings, as_of: date) -> dict[str, Any]:
    """Every registry feed: the DAG's one `ingest` task.

    One task, not one mapped task per feed: the feeds share the warehouse's one writer, so
    they ran one at a time anyway, and each task cost Airflow's own overhead (about 0.3 to
    0.6 s a task: docs/airflow-dbt.md). The invoices are parsed by the worker processes while
    the CSV and NDJSON feeds load, so both cores work (ingest.ingest_feeds). The task's log
    has a line per feed and its XCom each feed's counts. A bad file or row never fails it
    (quarantined, counted); a feed that cannot be loaded at all is logged with its name, the
    other feeds are still loaded, and the task then fails naming every such feed (its retry
    loads only what is not loaded yet).
    """
    outcomes = ingest.ingest_feeds(settings, as_of)
    loaded = {n: r.to_dict() for n, r in outcomes.items() if not isinstance(r, Exception)}
    failed = [
        f"{n}: {type(r).__name__}: {r}" for n, r in outcomes.items() if isinstance(r, Exception)
    ]
    if failed:
        raise IngestFailedError(f"could not load feed(s) as of {as_of}: " + "; ".join(failed))
    return {"as_of": as_of.isoformat(), "feeds": loaded}


def import_cases(settings: Settings, as_of: date) -> dict[str, Any]:
    """The case state the report and the KPIs need, copied into the build before dbt."""
    from backoffice.cases.night import import_case_state

    return import_case_state(settings, as_of)


def check_build(settings: Settings, as_of: date, run_id: str) -> dict[str, Any]:
    """Run the GX suites on the build; raise with the failures so nothing is published."""
    from backoffice.quality import run_checks  # GX is slow to import: only where it runs

    checks = run_checks(settings, warehouse=settings.build_warehouse, run_id=run_id, as_of=as_of)
    result = checks.to_dict()
    night = records(settings, as_of).create()
    night.write_json(night.checks_json, result)
    if not checks.success:
        failures = "\n  ".join(checks.failures)
        reason = (
            f"data checks failed for the run as of {as_of}; the previous publication stays "
            f"current. Failed:\n  {failures}\nData Docs: {checks.data_docs_index}"
        )
        night.failure_txt.write_text(reason + "\n", encoding="utf-8")
        raise ChecksFailedError(reason)
    return result


def record_night(settings: Settings, as_of: date, run_id: str) -> dict[str, Any]:
    """The night's control log and completeness, appended to the build before publication."""
    from backoffice.audit.night import record_night as record

    return record(settings, as_of, run_id)


def sync_cases(settings: Settings, as_of: date) -> dict[str, Any]:
    """After publication: cases follow what the night found."""
    from backoffice.cases.night import sync_cases as sync

    return sync(settings, as_of)


def send_digests(settings: Settings, as_of: date) -> dict[str, Any]:
    """After the case sync: each recipient's morning digest (a failure never fails the night)."""
    from backoffice.followup.night import send_digests as send

    return send(settings, as_of)


def publish_build(settings: Settings, as_of: date) -> dict[str, str]:
    return publish.publish(settings, as_of).to_dict()


def summarize(settings: Settings, as_of: date) -> dict[str, Any]:
    """Write the run's summary and its report beside its other records; hand the summary back."""
    with publish.connect_published(settings) as con:
        run_summary = summary.build_summary(con, settings, as_of)
        report.write_report(settings, con, as_of, run_summary)  # built from it, not re-queried
    return summary.write_summary(settings, run_summary).to_dict()


def build_layer(
    settings: Settings, as_of: date, layer: str, *, full_refresh: bool = False
) -> dict[str, Any]:
    """`dbt build` of one layer (seeds, staging, intermediate, marts) on the build, in process.

    The DAG runs one task per layer; the task's XCom lists every node with its status and
    seconds, and a failure raises naming the failed nodes with dbt's message. `full_refresh`
    rebuilds the incremental models from the raw data (the history tables keep theirs).

    The seeds are not reloaded when the build holds exactly what the last load wrote and the
    seed files, the project file and dbt are the same (`night.unchanged`): the task then says
    so in its log and XCom (`skipped`). A full refresh always reloads them.
    """
    from backoffice.dbt_runner import run_dbt
    from backoffice.night import unchanged
    from backoffice.orchestration import SEEDS_LAYER, dbt_layer

    if layer == SEEDS_LAYER and not full_refresh:
        stamp = unchanged.seeds_unchanged(settings)
        if stamp is not None:
            reason = (
                f"seeds unchanged since they were loaded at {stamp.get('loaded_at')} "
                f"({', '.join(stamp['relations'])}): not reloaded"
            )
            log.info("dbt layer %s skipped: %s", layer, reason)
            return {"layer": layer, "invocation_id": None, "nodes": [], "skipped": reason}
    refresh = ["--full-refresh"] if full_refresh else []
    spec = dbt_layer(layer)
    result = run_dbt(
        settings, "build", *spec.arguments(), *refresh, as_of=as_of, artifacts=spec.writes_artifacts
    )
    if layer == SEEDS_LAYER:
        loaded = [r["relation"] for r in result.results if r["node"].startswith("seed.")]
        unchanged.remember_seeds(settings, loaded, datetime.now(ROME).isoformat())
    return {
        "layer": layer,
        "invocation_id": result.invocation_id,
        "nodes": [
            {"node": r["node"], "status": r["status"], "seconds": round(r["seconds"] or 0, 2)}
            for r in result.results
        ],
    }


def build_models(settings: Settings, as_of: date, *, full_refresh: bool = False) -> dict[str, Any]:
    """Every dbt layer in order, as the DAG's dbt tasks run them."""
    from backoffice.orchestration import DBT_LAYERS

    built = [
        build_layer(settings, as_of, layer.name, full_refresh=full_refresh) for layer in DBT_LAYERS
    ]
    return {"layers": {b["layer"]: len(b["nodes"]) for b in built}}


def run_night(
    settings: Settings, as_of: date, *, run_id: str | None = None, full_refresh: bool = False
) -> dict[str, Any]:
    """One whole night in this process: the DAG's steps, in the DAG's order.

    The DAG wires the same functions as Airflow tasks; tests, the benchmark and
    anyone without a scheduler call this. Raises when a step fails, leaving the
    previous publication current.
    """
    run_id = run_id or f"in_process__{as_of.isoformat()}"
    begin_run(settings, as_of)
    ingest_feeds(settings, as_of)
    import_cases(settings, as_of)
    build_models(settings, as_of, full_refresh=full_refresh)
    check_build(settings, as_of, run_id)
    record_night(settings, as_of, run_id)
    publish_build(settings, as_of)
    summary = summarize(settings, as_of)
    sync_cases(settings, as_of)
    send_digests(settings, as_of)
    return summary
