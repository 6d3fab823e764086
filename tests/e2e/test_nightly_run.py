"""The nightly job end to end, driven through Airflow by the real CLI.

A generated landing zone, two successive as-of dates on one data directory,
and the published exceptions compared with the generator's ledger.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from backoffice import publish
from backoffice.sample import generate_landing_zone
from backoffice.settings import Settings

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
FIRST, SECOND = date(2026, 3, 2), date(2026, 3, 9)
# The controls the sample must exercise at each date; every row of the ledger is compared.
CONTROLS = {
    "ORDER_NOT_SUBMITTED",
    "ORDER_STUCK",
    "ORDER_REJECTED",
    "ORDER_ENTRY_MISMATCH",
    "BILLED_NOT_ACTIVE",
    "PRICE_MISMATCH",
}
IDENTITY = (
    "provider",
    "exception_type",
    "order_line_id",
    "invoice_number",
    "invoice_line",
    "period_month",
)
COMPARED = (
    "exception_type",
    "status",
    "provider",
    "customer_vat",
    "order_id",
    "order_line_id",
    "invoice_number",
    "invoice_line",
    "period_month",
    "detected_on",
    "amount_eur",
    "credited_eur",
    "source_file",
    "source_row",
)


class Pipeline:
    """The product as a user drives it: the `backoffice` command on one data directory."""

    def __init__(self, root: Path, expectations: Path | None = None) -> None:
        self.landing = root / "landing"
        self.data = root / "data"
        self.env = {
            **os.environ,
            "BACKOFFICE_LANDING_DIR": str(self.landing),
            "BACKOFFICE_DATA_DIR": str(self.data),
        }
        self.env.pop("AIRFLOW_HOME", None)  # the run keeps Airflow's home in its data dir
        if expectations:
            self.env["BACKOFFICE_EXPECTATIONS_DIR"] = str(expectations)

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


def keyed(rows):
    out = {}
    for row in rows:
        if row["exception_type"]:
            key = tuple(row[c] for c in IDENTITY)
            assert key not in out, f"two exceptions with one identity: {key}"
            out[key] = {c: row[c] for c in COMPARED}
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("nightly")
    pipeline = Pipeline(root)
    generated = generate_landing_zone(
        pipeline.landing,
        root / "expected_exceptions.csv",
        seed=11,
        order_lines=160,
        as_of_dates=[FIRST, SECOND],
    )
    with open(root / "expected_exceptions.csv", encoding="utf-8") as fh:
        ledger = list(csv.DictReader(fh))
    return pipeline, generated, ledger


@pytest.fixture(scope="module")
def runs(sample):
    """Both nights, in order, on one data directory; each night's exceptions as published."""
    pipeline, _, _ = sample
    published = {}
    for as_of in (FIRST, SECOND):
        done = pipeline.run(as_of)
        assert done.returncode == 0, f"run as of {as_of} failed:\n{done.stderr}\n{done.stdout}"
        assert "EUR" in done.stdout, "the run ends with its summary"
        published[as_of] = pipeline.exceptions()
    return published


@pytest.mark.parametrize("as_of", [FIRST, SECOND])
def test_published_exceptions_are_the_ledger(sample, runs, as_of):
    _, _, ledger = sample
    expected = keyed(row for row in ledger if row["as_of"] == as_of.isoformat())
    assert {k[1] for k in expected} >= CONTROLS, "the sample must exercise every control"
    actual = keyed(runs[as_of])
    assert sorted(actual) == sorted(expected)
    for key, row in expected.items():
        assert actual[key] == row, key
    assert {r["as_of"] for r in runs[as_of]} <= {FIRST.isoformat(), SECOND.isoformat()}


def test_exception_ids_are_stable_across_runs(runs):
    first = {tuple(r[c] for c in COMPARED[2:10]): r["exception_id"] for r in runs[FIRST]}
    second = {tuple(r[c] for c in COMPARED[2:10]): r["exception_id"] for r in runs[SECOND]}
    common = first.keys() & second.keys()
    assert common, "some exceptions must be known to both runs"
    assert all(first[k] == second[k] for k in common)
    assert any(r["status"] == "resolved" for r in runs[SECOND]), "the sample resolves one"


def test_csv_has_exactly_the_contract_columns(runs):
    done_rows = runs[SECOND]
    assert list(done_rows[0]) == [
        "exception_id", "exception_type", "status", "provider", "customer_vat", "order_id",
        "order_line_id", "invoice_number", "invoice_line", "period_month", "as_of",
        "detected_on", "age_business_days", "amount_eur", "credited_eur", "severity", "owner",
        "evidence", "source_file", "source_row",
    ]  # fmt: skip
    for row in done_rows:
        assert row["amount_eur"].count(".") == 1 and len(row["amount_eur"].split(".")[1]) == 2


def test_rerun_of_the_same_date_changes_nothing(sample, runs):
    pipeline, _, _ = sample
    files_before = pipeline.query("select * from raw.landed_files order by file_path")
    done = pipeline.run(SECOND)
    assert done.returncode == 0, done.stderr
    assert pipeline.exceptions() == runs[SECOND]
    assert pipeline.query("select * from raw.landed_files order by file_path") == files_before


def test_every_landed_row_is_loaded_or_quarantined(sample, runs):
    pipeline, generated, _ = sample
    files = pipeline.query(
        "select file_path, status, rows_read, rows_loaded, rows_quarantined from raw.landed_files"
    )
    assert files
    for path, status, read, loaded, quarantined in files:
        assert read == loaded + quarantined, path
        assert status in ("loaded", "redelivery"), (path, status)
    # Per feed, what ingest loaded and quarantined is what the generator wrote.
    per_feed = {
        (source, feed): (loaded, quarantined, redelivered)
        for source, feed, loaded, quarantined, redelivered in pipeline.query(
            "select source, feed, sum(rows_loaded), sum(rows_quarantined), "
            "count(*) filter (where status = 'redelivery') from raw.landed_files group by all"
        )
    }
    for key, counts in generated.feeds.items():
        expected = (
            counts.warehouse_rows + counts.vat_summaries,
            counts.quarantined,
            counts.redelivered_files,
        )
        assert per_feed.get(key) == expected, key
    # Every file the generator wrote is known to the manifest.
    landed = {
        str(p.relative_to(pipeline.landing))
        for p in pipeline.landing.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    assert landed == {f[0] for f in files}


def test_a_redelivered_file_is_loaded_once(sample, runs):
    pipeline, _, _ = sample
    redelivered = pipeline.query(
        "select r.file_path, r.duplicate_of, r.rows_loaded, f.rows_loaded "
        "from raw.landed_files r join raw.landed_files f on f.file_path = r.duplicate_of "
        "where r.status = 'redelivery'"
    )
    assert redelivered, "the sample re-delivers files"
    for _, _, again, first in redelivered:
        assert again == 0 and first > 0
    [(dupes,)] = pipeline.query(
        "select count(*) from (select _file_sha256, _source_row from raw.provider_order_events "
        "group by all having count(distinct _source_file) > 1)"
    )
    assert dupes == 0


def test_corrupt_rows_are_quarantined_with_a_reason(sample, runs):
    pipeline, generated, _ = sample
    quarantined = {
        (f, r): reason
        for f, r, reason in pipeline.query(
            "select source_file, source_row, reason from raw.quarantine"
        )
    }
    assert generated.corrupt_rows, "the sample injects corrupt rows"
    for corrupt in generated.corrupt_rows:
        key = (corrupt.source_file, corrupt.source_row)
        assert key in quarantined, f"{key} should be quarantined"
        assert len(quarantined[key]) > 10


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_openlineage_has_a_complete_event_for_every_task_and_every_dbt_model(sample, runs):
    """Airflow's OpenLineage provider and the night's dbt artifacts write events to files in
    the data directory: no lineage server is needed."""
    from airflow.dag_processing.dagbag import DagBag

    pipeline, _, _ = sample
    lineage = pipeline.data / "lineage"
    dag = DagBag(dag_folder=str(PROJECT / "dags")).dags["backoffice_nightly"]
    completed = {
        e["job"]["name"]
        for e in _events(lineage / "airflow.ndjson")
        if e.get("eventType") == "COMPLETE"
    }
    assert {f"backoffice_nightly.{t}" for t in dag.task_ids} <= completed
    assert "backoffice_nightly" in completed, "the DAG run itself"

    manifest = json.loads((pipeline.data / "dbt" / "target" / "manifest.json").read_text())
    built = {
        (n["schema"], n["name"])
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"].get("materialized") != "ephemeral"
    }
    night = _events(lineage / "dbt" / f"{SECOND.isoformat()}.ndjson")
    done = {e["job"]["name"] for e in night if e.get("eventType") == "COMPLETE"}
    missing = {(schema, name) for schema, name in built if not any(
        f".{schema}.backoffice.{name}." in job or job.endswith(f".{schema}.{name}") for job in done
    )}  # fmt: skip
    assert not missing, f"no COMPLETE event for {sorted(missing)}"


def test_a_failing_check_leaves_the_previous_publication(sample, runs, tmp_path):
    pipeline, _, _ = sample
    before = publish.current_publication(pipeline.settings)
    strict = tmp_path / "expectations"
    shutil.copytree(pipeline.settings.expectations_dir, strict)
    suite_file = next(p for p in (strict / "expectations").glob("*.json") if "exceptions" in p.name)
    suite = json.loads(suite_file.read_text())
    suite["expectations"].append(
        {
            "type": "expect_table_row_count_to_equal",
            "kwargs": {"value": 0},
            "meta": {"why": "test: an impossible expectation"},
        }
    )
    suite_file.write_text(json.dumps(suite))
    failing = Pipeline(pipeline.landing.parent, expectations=strict)
    done = failing.run(SECOND)
    assert done.returncode != 0
    assert "expect_table_row_count_to_equal" in done.stderr
    assert publish.current_publication(pipeline.settings) == before
    assert pipeline.exceptions() == runs[SECOND]
    with duckdb.connect(str(before), read_only=True) as con:
        assert con.execute("select count(*) from marts.exceptions").fetchone()[0] == len(
            runs[SECOND]
        )
