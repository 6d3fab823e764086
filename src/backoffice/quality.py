"""Data-quality checks of the build warehouse with Great Expectations.

The suites are files under `expectations/`, a GX file context reviewed in git: one suite per
table, named in its `meta.table` (suite `raw_landed_files` checks `raw.landed_files`). A run
copies that context into `Settings.gx_dir` (the repository is never written at run time), adds
a SQL data source for the run's warehouse and validates every suite inside DuckDB. The results
go to `audit.gx_results` in the warehouse and to Data Docs; the returned `CheckReport` says
whether a blocking (`critical`) expectation failed. Raising is the caller's decision.

Two things of GX 1.24 with duckdb-engine 0.17 and SQLAlchemy 2.1 shape the code:

- Results are read after GX has returned the connection to the pool, and the rollback that
  SQLAlchemy issues then discards DuckDB's pending result. Compiled queries survive only with
  `stream_results` (rows are buffered on execute); textual SQL never does, so
  `UnexpectedRowsExpectation` always sees no rows. The runner therefore validates each such
  expectation as a query asset of its unexpected rows expected to be empty; the suites keep the
  GX-native form and the results are reported under it.
- Column reflection fails on DuckDB (no `pg_collation`) and GX's fallback drops the schema, so
  every table is read through a query asset (`select * from <table>`), and column types are
  checked with SQL over `describe {batch}`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from backoffice.settings import Settings

log = logging.getLogger(__name__)

DATASOURCE = "warehouse"
BLOCKING_SEVERITY = "critical"
SQL_EXPECTATION = "unexpected_rows_expectation"
DATA_DOCS_DIR = "data_docs"
WHOLE = {"name": "whole"}
ERROR = "error: "
MISSING_TABLE = f"{ERROR}the table does not exist"

RESULTS_DDL = """
create schema if not exists audit;
create table if not exists audit.gx_results (
    run_id varchar not null,
    as_of date not null,
    suite varchar not null,
    table_name varchar not null,
    expectation_type varchar not null,
    column_name varchar,            -- the column, or the columns joined by ', '
    kwargs varchar not null,        -- the expectation's arguments, JSON
    success boolean not null,
    observed_value varchar,         -- JSON, or 'error: ...' when the check could not run
    unexpected_count bigint,
    severity varchar not null,      -- critical blocks publication; warning and info do not
    description varchar,
    validated_at timestamptz not null
);
"""


@dataclass(frozen=True)
class Outcome:
    """One expectation of one run: a row of `audit.gx_results`."""

    suite: str
    table_name: str
    expectation_type: str
    column_name: str | None
    kwargs: dict[str, Any]
    success: bool
    observed_value: str | None
    unexpected_count: int | None
    severity: str
    description: str | None

    @property
    def blocking(self) -> bool:
        return not self.success and self.severity == BLOCKING_SEVERITY

    def summary(self) -> str:
        """E.g. `marts.order_lines: expect_column_values_to_be_unique(order_line_id) failed: 2`."""
        target = self.description if self.expectation_type == SQL_EXPECTATION else self.column_name
        head = f"{self.table_name}: {self.expectation_type}" + (f"({target})" if target else "")
        if self.observed_value and self.observed_value.startswith(ERROR):
            return f"{head} failed: {self.observed_value}"
        if self.unexpected_count is not None:
            return f"{head} failed: {self.unexpected_count} unexpected"
        return f"{head} failed: observed {_shorten(self.observed_value or '')}"


@dataclass(frozen=True)
class CheckReport:
    """What a run of the checks found; `success` is False when a critical expectation failed."""

    run_id: str
    as_of: date
    success: bool
    evaluated: int
    passed: int
    failed: int
    warned: int
    failures: tuple[str, ...]
    warnings: tuple[str, ...]
    data_docs_index: Path
    duration_seconds: float
    outcomes: tuple[Outcome, ...] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the run summary."""
        return {
            "run_id": self.run_id,
            "as_of": self.as_of.isoformat(),
            "success": self.success,
            "evaluated": self.evaluated,
            "passed": self.passed,
            "failed": self.failed,
            "warned": self.warned,
            "failures": list(self.failures),
            "warnings": list(self.warnings),
            "data_docs_index": str(self.data_docs_index),
            "duration_seconds": round(self.duration_seconds, 2),
        }


def run_checks(settings: Settings, *, warehouse: Path, run_id: str, as_of: date) -> CheckReport:
    """Validate every suite against `warehouse`, record the results there, build Data Docs."""
    started = time.monotonic()
    warehouse = Path(warehouse).resolve()
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}")
    context_dir = _instantiate_context(settings.expectations_dir, settings.gx_dir)
    validated_at = datetime.now(UTC)
    outcomes = _validate(context_dir, warehouse, run_id, as_of, validated_at, _tables(warehouse))
    _record(warehouse, outcomes, run_id=run_id, as_of=as_of, validated_at=validated_at)
    failures = _summaries(o for o in outcomes if o.blocking)
    warnings = _summaries(o for o in outcomes if not o.success and not o.blocking)
    report = CheckReport(
        run_id=run_id,
        as_of=as_of,
        success=not failures,
        evaluated=len(outcomes),
        passed=sum(o.success for o in outcomes),
        failed=sum(o.blocking for o in outcomes),
        warned=sum(not o.success and not o.blocking for o in outcomes),
        failures=failures,
        warnings=warnings,
        data_docs_index=context_dir / DATA_DOCS_DIR / "index.html",
        duration_seconds=time.monotonic() - started,
        outcomes=tuple(outcomes),
    )
    log.info(
        "GX checks of run %s: %d evaluated, %d failed, %d warnings in %.1fs",
        run_id,
        report.evaluated,
        report.failed,
        report.warned,
        report.duration_seconds,
    )
    return report


def _tables(warehouse: Path) -> set[str]:
    """The warehouse's tables, so that a missing one is reported once, not by each expectation."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    return {name for (name,) in rows}


def _summaries(outcomes: Iterable[Outcome]) -> tuple[str, ...]:
    """One line per failed expectation; one per table for a table that is not there."""
    lines: list[str] = []
    missing: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.observed_value == MISSING_TABLE:
            missing[outcome.table_name] = missing.get(outcome.table_name, 0) + 1
        else:
            lines.append(outcome.summary())
    lines.extend(
        f"{table}: the table does not exist ({count} expectations not evaluated)"
        for table, count in missing.items()
    )
    return tuple(lines)


# What a run keeps of the earlier runs' context: every night's validation results and their
# rendered Data Docs (auditors read any past night's checks, not only the latest).
KEPT_ACROSS_RUNS = ("uncommitted/validations", DATA_DOCS_DIR)


def _instantiate_context(source: Path, target: Path) -> Path:
    """A fresh copy of the committed context (a run writes only in the data dir).

    The suites and configuration always come fresh from the repository; the validation
    results and Data Docs of earlier runs are carried over, so Data Docs list every night.
    """
    if not (source / "great_expectations.yml").is_file():
        raise FileNotFoundError(f"no GX context at {source}")
    stash = target.with_name(target.name + ".kept")
    if stash.exists():
        shutil.rmtree(stash)
    for kept in KEPT_ACROSS_RUNS:
        if (target / kept).is_dir():
            (stash / kept).parent.mkdir(parents=True, exist_ok=True)
            os.replace(target / kept, stash / kept)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns(".gitignore", "README.md", "uncommitted")
    )
    for kept in KEPT_ACROSS_RUNS:
        if (stash / kept).is_dir():
            (target / kept).parent.mkdir(parents=True, exist_ok=True)
            os.replace(stash / kept, target / kept)
    if stash.exists():
        shutil.rmtree(stash)
    return target


def _validate(
    context_dir: Path, warehouse: Path, run_id: str, as_of: date, at: datetime, tables: set[str]
) -> list[Outcome]:
    """Run every suite inside DuckDB; every engine is disposed before this returns."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    context = gx.get_context(mode="file", context_root_dir=str(context_dir))
    plans, not_run = _plan(context, tables)
    if not plans:
        context.build_data_docs()
        return not_run
    # All assets at once: GX rewrites great_expectations.yml on every asset it adds.
    source = context.data_sources.add_or_update_sql(
        name=DATASOURCE,
        connection_string=f"duckdb:///{warehouse}",
        kwargs={
            "execution_options": {"stream_results": True},
            "connect_args": {"read_only": True},
        },
        assets=[
            {"type": "query", "name": name, "query": plan.query, "batch_definitions": [WHOLE]}
            for name, plan in plans.items()
        ],
    )
    try:
        definitions = [
            context.validation_definitions.add(
                gx.ValidationDefinition(
                    name=name,
                    data=source.get_asset(name).get_batch_definition(WHOLE["name"]),
                    suite=context.suites.get(name),
                )
            )
            for name in plans
        ]
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name="nightly",
                validation_definitions=definitions,
                result_format={"result_format": "SUMMARY"},
            )
        )
        result = checkpoint.run(
            run_id=RunIdentifier(run_name=run_id, run_time=at),
            expectation_parameters={"run_as_of": as_of.isoformat()},
        )
    finally:
        _dispose(source)
    _build_data_docs(context, list(result.run_results))
    outcomes = not_run + [
        plans[suite_result.suite_name].outcome(expectation_result)
        for suite_result in result.run_results.values()
        for expectation_result in suite_result.results
    ]
    outcomes.sort(key=lambda o: (o.suite, o.expectation_type, o.column_name or "", str(o.kwargs)))
    return outcomes


def _build_data_docs(context: Any, validations: list[Any]) -> None:
    """Render this run's validations and every suite, then the index of all runs, offline.

    Earlier runs' pages are already there (kept across runs): rendering only the new ones
    keeps a night's cost flat however many nights the index lists.
    """
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    suites = [ExpectationSuiteIdentifier(name=s.name) for s in context.suites.all()]
    context.build_data_docs(resource_identifiers=[*suites, *validations])
    from backoffice.audit.docs import make_data_docs_offline_dir

    make_data_docs_offline_dir(Path(context.root_directory) / DATA_DOCS_DIR)


def _plan(context: Any, tables: set[str]) -> tuple[dict[str, _Plan], list[Outcome]]:
    """Rewrite the copied suites into what runs here: each SQL rule becomes its own query asset.

    A table's suite keeps its other expectations and runs on `select * from <table>`; the rule
    runs on its unexpected rows, expected to be none, and is reported as the rule. The suite of
    a table that does not exist is not run: each of its expectations fails as not evaluated.
    """
    import great_expectations as gx
    import great_expectations.expectations as gxe

    plans: dict[str, _Plan] = {}
    not_run: list[Outcome] = []
    for suite in context.suites.all():
        table = str(suite.meta.get("table") or suite.name)
        if table not in tables:
            plan = _Plan(suite=suite.name, table=table, query="")
            not_run.extend(plan.not_evaluated(e.configuration) for e in suite.expectations)
            continue
        rules = [e for e in suite.expectations if e.expectation_type == SQL_EXPECTATION]
        native = [e for e in suite.expectations if e.expectation_type != SQL_EXPECTATION]
        context.suites.add_or_update(
            gx.ExpectationSuite(
                name=suite.name, notes=suite.notes, meta=suite.meta, expectations=native
            )
        )
        plans[suite.name] = _Plan(suite=suite.name, table=table, query=f"select * from {table}")
        for number, rule in enumerate(rules, start=1):
            name = f"{suite.name}-rule_{number:02d}"
            query = rule.unexpected_rows_query.format(batch=table)
            expect_none = gxe.ExpectTableRowCountToEqual(
                value=0, severity=rule.severity, description=rule.description
            )
            context.suites.add(
                gx.ExpectationSuite(name=name, notes=query, expectations=[expect_none])
            )
            plans[name] = _Plan(
                suite=suite.name,
                table=table,
                query=f"select * from ({query}) as unexpected",
                rule=rule.configuration,
            )
    return plans, not_run


def _dispose(source: Any) -> None:
    """Close every DuckDB connection GX holds: DuckDB has one writer and we write next."""
    try:
        engine = source.get_execution_engine()
        engine.close()
        engine.engine.dispose()
    finally:
        source.get_engine().dispose()


@dataclass(frozen=True)
class _Plan:
    """One validation: the query it reads and, for a SQL rule, the rule it stands for."""

    suite: str
    table: str
    query: str
    rule: Any = None

    def not_evaluated(self, config: Any) -> Outcome:
        return self._outcome(config, success=False, observed=MISSING_TABLE, unexpected=None)

    def outcome(self, result: Any) -> Outcome:
        config = self.rule if self.rule is not None else result.expectation_config
        details = result.result or {}
        error = _error(result.exception_info)
        observed: Any = details.get("observed_value")
        unexpected = details.get("unexpected_count")
        if self.rule is not None and isinstance(observed, int):
            unexpected = observed
        if error:
            observed_text = f"{ERROR}{error}"
        elif observed is not None:
            observed_text = json.dumps(_jsonable(observed))
        elif unexpected:
            observed_text = json.dumps(_jsonable(details.get("partial_unexpected_list", [])))
        else:
            observed_text = None
        return self._outcome(
            config,
            success=bool(result.success) and not error,
            observed=observed_text,
            unexpected=None if unexpected is None else int(unexpected),
        )

    def _outcome(
        self, config: Any, *, success: bool, observed: str | None, unexpected: int | None
    ) -> Outcome:
        kwargs = _jsonable({k: v for k, v in config.kwargs.items() if k != "batch_id"})
        return Outcome(
            suite=self.suite,
            table_name=self.table,
            expectation_type=str(config.type),
            column_name=_columns(kwargs),
            kwargs=kwargs,
            success=success,
            observed_value=observed,
            unexpected_count=unexpected,
            severity=str(getattr(config.severity, "value", config.severity)),
            description=config.description,
        )


def _columns(kwargs: dict[str, Any]) -> str | None:
    """The columns an expectation is about, short enough for a report line."""
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    if len(kwargs.get("column_list", [])) <= 4:  # compound keys, not a table's whole layout
        return ", ".join(kwargs.get("column_list", [])) or None
    return None


def _error(info: Any) -> str | None:
    """The first exception GX caught while computing the expectation, on one line."""
    if not info:
        return None
    candidates = [info, *(v for v in info.values() if isinstance(v, dict))]
    for item in candidates:
        if item.get("raised_exception") and item.get("exception_message"):
            message = " ".join(str(item["exception_message"]).split())
            message = re.sub(r"^\([\w.]+\)\s*", "", message.split(" [SQL: ")[0])
            return _shorten(message, 300)
    return None


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _record(
    warehouse: Path, outcomes: list[Outcome], *, run_id: str, as_of: date, validated_at: datetime
) -> None:
    """Replace this run's rows in `audit.gx_results`; earlier runs' rows stay."""
    rows = [
        (
            run_id,
            as_of,
            o.suite,
            o.table_name,
            o.expectation_type,
            o.column_name,
            json.dumps(o.kwargs, sort_keys=True),
            o.success,
            o.observed_value,
            o.unexpected_count,
            o.severity,
            o.description,
            validated_at,
        )
        for o in outcomes
    ]
    with duckdb.connect(str(warehouse)) as con:
        con.execute(RESULTS_DDL)
        con.execute("begin transaction")
        con.execute("delete from audit.gx_results where run_id = ?", [run_id])
        if rows:
            con.executemany(
                "insert into audit.gx_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        con.execute("commit")
