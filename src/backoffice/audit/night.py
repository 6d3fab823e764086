"""What a night records for auditors, before it publishes: the control log and completeness.

`record_night` runs after the data checks and before publication, so what it writes into the
build warehouse is part of the publication, and the next night's build (a copy of it) carries
it on. Both tables are append-only: a night inserts, nothing here updates or deletes, and a
rerun of a date appends a new execution beside the earlier one (each has its own
`execution_id`). The heavy lifting is SQL inside DuckDB: one aggregate per control and one per
feed, never a loop over rows.

- `audit.control_log`: one row per night and control of RULES.md: the population it checked
  (rows and euro), the exceptions found and the euro at stake, the code version (git commit, a
  hash of the dbt project, a hash of the configuration), the dbt invocation and the night's
  data-check results.
- `audit.completeness`: one row per night and feed: files landed -> rows read -> rows loaded +
  rows quarantined -> rows in raw -> rows in staging, and what is unaccounted for (0 when the
  feed reconciles).

The night also writes dbt's docs (one self-contained page) and the dbt OpenLineage events into
the data directory; neither may fail the night, so a failure there is logged and recorded.
"""

from __future__ import annotations

import importlib
import json
import logging
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from backoffice.audit import versions
from backoffice.run_records import records
from backoffice.settings import Settings
from backoffice.warehouse.catalog import has_table

log = logging.getLogger(__name__)

LOG_DDL = """
create schema if not exists audit;
create table if not exists audit.control_log (
    execution_id varchar not null,        -- one per record_night call: a rerun appends anew
    run_id varchar not null,              -- the Airflow run (or in-process run) of the night
    as_of date not null,
    control varchar not null,             -- the exception type of RULES.md the control raises
    control_family varchar not null,      -- lifecycle | billing
    population varchar not null,          -- what the control looked at, in words
    population_rows bigint not null,
    population_eur decimal(18, 2) not null,
    exceptions_found bigint not null,     -- open or credited on the night
    exceptions_new bigint not null,       -- first found on the night
    exceptions_resolved bigint not null,  -- no longer found on the night
    eur_at_stake decimal(18, 2) not null, -- sum of amount_eur - credited_eur of the open ones
    started_at timestamptz,               -- when dbt started judging the night
    ended_at timestamptz not null,        -- when the night's checks were over
    git_commit varchar,                   -- null outside a git checkout
    dbt_project_sha256 varchar not null,
    config_sha256 varchar not null,
    dbt_invocation_id varchar,            -- the night's dbt invocations, comma-separated
    dbt_tests_passed bigint,
    dbt_tests_failed bigint,
    dbt_tests_warned bigint,
    checks_evaluated bigint not null,
    checks_failed bigint not null,        -- blocking (critical) checks that failed
    checks_warned bigint not null,        -- warnings: recorded and shown, never blocking
    check_warnings varchar not null,      -- JSON list of the failed non-blocking checks
    recorded_at timestamptz not null
);
create table if not exists audit.night_warnings (
    execution_id varchar not null,
    run_id varchar not null,
    as_of date not null,
    kind varchar not null,                -- feed_late | feed_small | feed_never_delivered
                                          -- (marts.feed_health) | new_provider_state
                                          -- (nights before feed health: silent_feed,
                                          -- unusual_volume)
    subject varchar not null,             -- the feed (source/feed) or provider:state
    detail varchar not null,              -- one sentence for a person
    recorded_at timestamptz not null
);
create table if not exists audit.completeness (
    execution_id varchar not null,
    run_id varchar not null,
    as_of date not null,
    source varchar not null,
    feed varchar not null,
    files_landed bigint not null,         -- files the night's load of the feed saw
    files_loaded bigint not null,
    files_redelivered bigint not null,    -- same bytes as a file loaded before: not loaded again
    files_unreadable bigint not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    rows_in_raw bigint not null,          -- rows of the feed's files in raw.* after the load
    rows_in_staging bigint not null,      -- the same rows as dbt's staging views see them
    rows_unaccounted bigint not null,     -- |read - loaded - quarantined| + |loaded - raw|
                                          -- + |raw - staging|: 0 when the feed reconciles
    is_reconciled boolean not null,
    recorded_at timestamptz not null
);
"""

# The population each control judges, as SQL over the build's marts (one aggregate each).
LIFECYCLE = "lifecycle"
BILLING = "billing"
_SIGNED = "from marts.order_lines where line_status = 'signed'"
_TD01 = "from marts.invoice_lines where document_type = 'TD01'"
POPULATIONS: dict[str, tuple[str, str, str]] = {
    # control: (family, population in words, select rows, eur ...)
    "ORDER_NOT_SUBMITTED": (LIFECYCLE, "signed CRM lines (monthly contracted EUR)", _SIGNED),
    "ORDER_STUCK": (LIFECYCLE, "signed CRM lines (monthly contracted EUR)", _SIGNED),
    "ORDER_REJECTED": (LIFECYCLE, "signed CRM lines (monthly contracted EUR)", _SIGNED),
    "ORDER_ENTRY_MISMATCH": (
        LIFECYCLE,
        "signed CRM lines entered at their provider (monthly contracted EUR)",
        _SIGNED + " and latest_provider_order_id is not null",
    ),
    **{
        control: (BILLING, "TD01 invoice lines (billed net EUR)", _TD01)
        for control in (
            "DUPLICATE_CHARGE",
            "BILLED_NOT_ACTIVE",
            "BILLED_AFTER_CANCELLATION",
            "BILLED_BEFORE_ACTIVATION",
            "PRICE_MISMATCH",
            "QUANTITY_MISMATCH",
            "PRORATA_ERROR",
        )
    },
    "VAT_ERROR": (BILLING, "TD01 invoices (billed net EUR)", _TD01),
    "ACTIVE_NOT_BILLED": (
        BILLING,
        "order-line months past the billing grace with billable days (contracted EUR)",
        "from intermediate.int_order_line_months__billing",
    ),
    "UNMATCHED_CREDIT": (
        BILLING,
        "TD04 credit-note lines (credited net EUR)",
        "from marts.invoice_lines where document_type = 'TD04'",
    ),
}
_COUNT = {
    "VAT_ERROR": "count(distinct (provider, invoice_number))",
}
_EUR = {
    LIFECYCLE: "contracted_monthly_eur",
    BILLING: "net_amount_eur",
    "ACTIVE_NOT_BILLED": "contracted_monthly_eur",
}

COMPLETENESS_SQL = """
with
files as (
    select * from raw.landed_files where load_id like $prefix
),
raw_rows as (
    select _source_file as file_path, count(*) as n from raw.crm_signed_orders group by all
    union all
    select _source_file, count(*) from raw.provider_orders group by all
    union all
    select _source_file, count(*) from raw.provider_order_events group by all
    union all
    select _source_file, count(*) from raw.invoice_lines group by all
    union all
    select _source_file, count(*) from raw.invoice_vat_summaries group by all
),
staged_rows as (
    select source_file as file_path, count(*) as n from staging.stg_crm__signed_orders group by all
    union all
    select source_file, count(*) from staging.stg_providers__orders group by all
    union all
    select source_file, count(*) from staging.stg_providers__order_events group by all
    union all
    select source_file, count(*) from staging.stg_providers__invoice_lines group by all
    union all
    select source_file, count(*) from staging.stg_providers__invoice_vat_summaries group by all
),
per_file as (
    select
        files.source,
        files.feed,
        files.status,
        files.rows_read,
        files.rows_loaded,
        files.rows_quarantined,
        coalesce((select sum(n) from raw_rows where raw_rows.file_path = files.file_path), 0)
            as rows_in_raw,
        coalesce(
            (select sum(n) from staged_rows where staged_rows.file_path = files.file_path), 0
        ) as rows_in_staging
    from files
),
feeds as (
    select
        source,
        feed,
        count(*) as files_landed,
        count(*) filter (where status = 'loaded') as files_loaded,
        count(*) filter (where status = 'redelivery') as files_redelivered,
        count(*) filter (where status = 'unreadable') as files_unreadable,
        coalesce(sum(rows_read), 0) as rows_read,
        coalesce(sum(rows_loaded), 0) as rows_loaded,
        coalesce(sum(rows_quarantined), 0) as rows_quarantined,
        coalesce(sum(rows_in_raw), 0) as rows_in_raw,
        coalesce(sum(rows_in_staging), 0) as rows_in_staging
    from per_file
    group by source, feed
)
select
    *,
    abs(rows_read - rows_loaded - rows_quarantined)
        + abs(rows_loaded - rows_in_raw)
        + abs(rows_in_raw - rows_in_staging) as rows_unaccounted
from feeds
"""


def record_night(settings: Settings, as_of: date, run_id: str) -> dict[str, Any]:
    """Append the night's control executions and completeness to the build warehouse.

    Returns a small summary for the task's XCom: the execution id, the controls recorded and
    the feeds that do not reconcile (which a data check of the night would already have
    stopped; here they are on record).
    """
    execution_id = str(uuid.uuid4())
    recorded_at = datetime.now(UTC)
    run_results = _run_results(settings, as_of)  # before docs generate rewrites the target
    code = versions.code_version(settings)
    with duckdb.connect(str(settings.build_warehouse)) as con:
        con.execute(LOG_DDL)
        checks = _check_results(con, run_id)
        started_at = _started_at(con, as_of)
        controls = _control_rows(con, as_of)
        rows = [
            (
                execution_id,
                run_id,
                as_of,
                control,
                family,
                population,
                population_rows,
                population_eur,
                found,
                new,
                resolved,
                at_stake,
                started_at,
                recorded_at,
                code["git_commit"],
                code["dbt_project_sha256"],
                code["config_sha256"],
                run_results.get("invocation_id"),
                run_results.get("tests_passed"),
                run_results.get("tests_failed"),
                run_results.get("tests_warned"),
                checks["evaluated"],
                checks["failed"],
                checks["warned"],
                json.dumps(checks["warnings"]),
                recorded_at,
            )
            for (
                control,
                family,
                population,
                population_rows,
                population_eur,
                found,
                new,
                resolved,
                at_stake,
            ) in controls
        ]
        completeness = con.execute(
            COMPLETENESS_SQL.replace("$prefix", "?"), [f"{as_of.isoformat()}/%"]
        ).fetchall()
        con.execute("begin transaction")
        con.executemany(
            f"insert into audit.control_log values ({', '.join(['?'] * 26)})",
            rows,
        )
        if completeness:
            con.executemany(
                f"insert into audit.completeness values ({', '.join(['?'] * 17)})",
                [
                    (execution_id, run_id, as_of, *row, row[-1] == 0, recorded_at)
                    for row in completeness
                ],
            )
        warnings = _warnings(con, settings, as_of)
        if warnings:  # DuckDB refuses an empty executemany
            con.executemany(
                "insert into audit.night_warnings values (?, ?, ?, ?, ?, ?, ?)",
                [(execution_id, run_id, as_of, *w, recorded_at) for w in warnings],
            )
        con.execute("commit")
    _write_warnings(settings, as_of, warnings)
    unreconciled = [f"{row[0]}/{row[1]}" for row in completeness if row[-1] != 0]
    extras = _night_artifacts(settings, as_of)
    return {
        "execution_id": execution_id,
        "controls": len(rows),
        "feeds": len(completeness),
        "unreconciled_feeds": unreconciled,
        "warnings": [detail for _, _, detail in warnings],
        "dbt_invocation_id": run_results.get("invocation_id"),
        **extras,
    }


def _warnings(
    con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date
) -> list[tuple[str, str, str]]:
    """What must be seen but must not stop a night (docs/auditors.md): (kind, subject, detail).

    A feed that is late, unusually small or has never delivered, as marts.feed_health judged
    it tonight (the one rule, docs/feed-health.md: the summary, the report and the app read
    the same rows), and a provider state the registry does not map. Recorded in
    audit.night_warnings and the run's folder; never raised.
    """
    from backoffice.feeds.health import read_feed_health

    warnings: list[tuple[str, str, str]] = [
        (f"feed_{feed.status}", feed.name, feed.warning or feed.status)
        for feed in read_feed_health(con)
        if feed.is_warning
    ]
    states = con.execute(
        """
        select provider, provider_state, count(*) from marts.unmapped_provider_states
        where delivery_date = ? group by all order by all
        """,
        [as_of],
    ).fetchall()
    for provider, state, count in states:
        warnings.append(
            (
                "new_provider_state",
                f"{provider}:{state}",
                f"{provider} sent state '{state}' ({count} changes), which config/providers.yml "
                "does not map: kept, reported, not part of the timeline",
            )
        )
    return warnings


def _write_warnings(settings: Settings, as_of: date, warnings: list[tuple[str, str, str]]) -> None:
    """The night's warnings beside its other records (`runs/<as-of>/warnings.json`)."""
    night = records(settings, as_of).create()
    payload = [{"kind": k, "subject": s, "detail": d} for k, s, d in warnings]
    night.warnings_json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def _control_rows(con: duckdb.DuckDBPyConnection, as_of: date) -> list[tuple]:
    """One row per control: its population and what the night found, in one query each."""
    found = {
        row[0]: row[1:]
        for row in con.execute(
            """
            select
                exception_type,
                count(*) filter (where status != 'resolved'),
                count(*) filter (where status != 'resolved' and detected_on = ?),
                coalesce(sum(amount_eur - credited_eur) filter (where status = 'open'), 0)
            from marts.exceptions
            group by exception_type
            """,
            [as_of],
        ).fetchall()
    }
    resolved_on_night = dict(
        con.execute(
            """
            select exception_type, count(*) from marts.exception_history
            where as_of = ? and change_kind = 'disappeared'
            group by exception_type
            """,
            [as_of],
        ).fetchall()
    )
    rows = []
    for control, (family, population, source) in POPULATIONS.items():
        count = _COUNT.get(control, "count(*)")
        eur = _EUR.get(control, _EUR[family])
        population_rows, population_eur = con.execute(
            f"select {count}, coalesce(sum({eur}), 0) {source}"
        ).fetchone()
        found_count, new, at_stake = found.get(control, (0, 0, 0))
        resolved = resolved_on_night.get(control, 0)
        rows.append(
            (
                control,
                family,
                population,
                population_rows,
                population_eur,
                found_count,
                new,
                resolved,
                at_stake,
            )
        )
    return rows


def _check_results(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """The night's GX results (audit.gx_results), as counts and the warnings' summaries."""
    if not has_table(con, "audit", "gx_results"):
        return {"evaluated": 0, "failed": 0, "warned": 0, "warnings": []}
    evaluated, failed, warned = con.execute(
        """
        select
            count(*),
            count(*) filter (where not success and severity = 'critical'),
            count(*) filter (where not success and severity != 'critical')
        from audit.gx_results where run_id = ?
        """,
        [run_id],
    ).fetchone()
    warnings = [
        f"{table}: {kind}({target or ''}) {observed or ''}".strip()
        for table, kind, target, observed in con.execute(
            """
            select table_name, expectation_type, coalesce(description, column_name),
                   coalesce(cast(unexpected_count as varchar), observed_value)
            from audit.gx_results
            where run_id = ? and not success and severity != 'critical'
            order by all
            """,
            [run_id],
        ).fetchall()
    ]
    return {"evaluated": evaluated, "failed": failed, "warned": warned, "warnings": warnings}


def _started_at(con: duckdb.DuckDBPyConnection, as_of: date) -> datetime | None:
    row = con.execute(
        "select max(judged_at) from marts.judged_nights where as_of = ?", [as_of]
    ).fetchone()
    return row[0] if row else None


def _run_results(settings: Settings, as_of: date) -> dict[str, Any]:
    """dbt's invocation ids and test counts of the night (every layer's, when archived)."""
    from backoffice.audit.lineage import run_results
    from backoffice.dbt_runner import target_dir

    payload = run_results(target_dir(settings), as_of)
    if payload is None:
        return {}
    tests = [r for r in payload.get("results", []) if r.get("unique_id", "").startswith("test.")]
    return {
        "invocation_id": ",".join(payload["invocation_ids"]) or None,
        "tests_passed": sum(r.get("status") == "pass" for r in tests),
        "tests_failed": sum(r.get("status") in ("fail", "error") for r in tests),
        "tests_warned": sum(r.get("status") == "warn" for r in tests),
    }


def _night_artifacts(settings: Settings, as_of: date) -> dict[str, Any]:
    """dbt's OpenLineage events and docs for the night; a failure is logged, never raised."""
    out: dict[str, Any] = {}
    steps = [
        ("lineage_events", "lineage", "emit_dbt_events"),
        ("dbt_docs", "docs", "generate_dbt_docs"),
        ("gx_data_docs", "docs", "make_data_docs_offline"),
    ]
    if not settings.audit_docs_every_night:  # BACKOFFICE_AUDIT_DOCS=0
        steps = [step for step in steps if step[0] != "dbt_docs"]
    for name, module, function in steps:
        try:
            step = getattr(importlib.import_module(f"backoffice.audit.{module}"), function)
            result = step(settings, as_of)
            out[name] = str(result) if isinstance(result, Path) else result
        except Exception as failure:  # evidence extras never fail the night
            log.warning("audit: %s not written for %s: %s", name, as_of, failure)
            out[name] = f"error: {failure}"
    return out
