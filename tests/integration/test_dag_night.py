"""The DAG's night, its steps run in process (`pipeline.run_night`), on the shared nights.

What a night must publish does not depend on Airflow: these tests read the two shared
nights (`published_nights`: 2 and 9 March 2026 on a 160-line generated sample) and compare
them with the generator's ledger. The one test that drives the same night through Airflow,
and checks that it publishes exactly what the night in process published, is
tests/e2e/test_nightly_run.py.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date

import duckdb
import pytest

from backoffice import pipeline, publish
from backoffice.night.commands import failure_reason
from backoffice.published import EXCEPTION_COLUMNS, write_exceptions_csv
from backoffice.run_records import records
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

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
# The ledger's columns (docs/interfaces.md), compared value for value with the CSV's.
COMPARED = (
    "exception_type", "status", "provider", "customer_vat", "order_id", "order_line_id",
    "invoice_number", "invoice_line", "period_month", "detected_on", "amount_eur",
    "credited_eur", "source_file", "source_row",
)  # fmt: skip


def keyed(rows) -> dict[tuple, dict[str, str]]:
    """Exceptions by identity; two rows with one identity fail the test."""
    out: dict[tuple, dict[str, str]] = {}
    for row in rows:
        if row["exception_type"]:
            key = tuple(row[c] for c in IDENTITY)
            assert key not in out, f"two exceptions with one identity: {key}"
            out[key] = {c: row[c] for c in COMPARED}
    return out


def ledger_rows(nights, as_of: date) -> list[dict[str, str]]:
    with open(nights.ledger, encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["as_of"] == as_of.isoformat()]


def query(settings: Settings, sql: str) -> list[tuple]:
    with publish.connect_published(settings) as con:
        return con.execute(sql).fetchall()


def published_csv(settings: Settings) -> list[dict[str, str]]:
    out = io.StringIO()
    write_exceptions_csv(settings, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("as_of", [FIRST, SECOND])
def test_published_exceptions_are_the_ledger(published_nights, as_of):
    expected = keyed(ledger_rows(published_nights, as_of))
    assert {k[1] for k in expected} >= CONTROLS, "the sample must exercise every control"
    actual = keyed(published_nights.exceptions[as_of])
    assert sorted(actual) == sorted(expected)
    for key, row in expected.items():
        assert actual[key] == row, key
    dates = {FIRST.isoformat(), SECOND.isoformat()}
    assert {r["as_of"] for r in published_nights.exceptions[as_of]} <= dates


def test_exception_ids_are_stable_across_nights(published_nights):
    def ids(as_of):
        rows = published_nights.exceptions[as_of]
        return {tuple(r[c] for c in COMPARED[2:10]): r["exception_id"] for r in rows}

    first, second = ids(FIRST), ids(SECOND)
    common = first.keys() & second.keys()
    assert common, "some exceptions must be known to both nights"
    assert all(first[k] == second[k] for k in common)
    statuses = {r["status"] for r in published_nights.exceptions[SECOND]}
    assert "resolved" in statuses, "the sample resolves one"


def test_the_csv_has_exactly_the_contract_columns(published_nights):
    rows = published_nights.exceptions[SECOND]
    assert list(rows[0]) == [
        "exception_id", "exception_type", "status", "provider", "customer_vat", "order_id",
        "order_line_id", "invoice_number", "invoice_line", "period_month", "as_of",
        "detected_on", "age_business_days", "amount_eur", "credited_eur", "severity", "owner",
        "evidence", "source_file", "source_row",
    ]  # fmt: skip
    assert tuple(rows[0]) == EXCEPTION_COLUMNS
    for row in rows:
        assert row["amount_eur"].count(".") == 1 and len(row["amount_eur"].split(".")[1]) == 2


def test_every_landed_row_is_loaded_or_quarantined(published_nights):
    settings, generated = published_nights.settings, published_nights.sample
    files = query(
        settings,
        "select file_path, status, rows_read, rows_loaded, rows_quarantined from raw.landed_files",
    )
    assert files
    for path, status, read, loaded, quarantined in files:
        assert read == loaded + quarantined, path
        assert status in ("loaded", "redelivery"), (path, status)
    # Per feed, what ingest loaded and quarantined is what the generator wrote.
    per_feed = {
        (source, feed): (loaded, quarantined, redelivered)
        for source, feed, loaded, quarantined, redelivered in query(
            settings,
            "select source, feed, sum(rows_loaded), sum(rows_quarantined), "
            "count(*) filter (where status = 'redelivery') from raw.landed_files group by all",
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
    landing = settings.landing_dir
    landed = {
        str(p.relative_to(landing))
        for p in landing.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    assert landed == {f[0] for f in files}


def test_a_redelivered_file_is_loaded_once(published_nights):
    settings = published_nights.settings
    redelivered = query(
        settings,
        "select r.file_path, r.duplicate_of, r.rows_loaded, f.rows_loaded "
        "from raw.landed_files r join raw.landed_files f on f.file_path = r.duplicate_of "
        "where r.status = 'redelivery'",
    )
    assert redelivered, "the sample re-delivers files"
    for _, _, again, first in redelivered:
        assert again == 0 and first > 0
    [(dupes,)] = query(
        settings,
        "select count(*) from (select _file_sha256, _source_row from raw.provider_order_events "
        "group by all having count(distinct _source_file) > 1)",
    )
    assert dupes == 0


def test_corrupt_rows_are_quarantined_with_a_reason(published_nights):
    quarantined = {
        (f, r): reason
        for f, r, reason in query(
            published_nights.settings, "select source_file, source_row, reason from raw.quarantine"
        )
    }
    assert published_nights.sample.corrupt_rows, "the sample injects corrupt rows"
    for corrupt in published_nights.sample.corrupt_rows:
        key = (corrupt.source_file, corrupt.source_row)
        assert key in quarantined, f"{key} should be quarantined"
        assert len(quarantined[key]) > 10


def test_a_failing_check_publishes_nothing(published_nights, tmp_path):
    """A rerun of the second night whose checks fail: the night raises naming the failed
    expectation, records why for `backoffice run` to print, and the readers keep seeing
    the publication of before, unchanged."""
    root = tmp_path / "nights"
    shutil.copytree(published_nights.root, root, symlinks=True)
    strict = tmp_path / "expectations"
    shutil.copytree(published_nights.settings.expectations_dir, strict)
    suite_file = next(p for p in (strict / "expectations").glob("*.json") if "exceptions" in p.name)
    suite = json.loads(suite_file.read_text(encoding="utf-8"))
    suite["expectations"].append(
        {
            "type": "expect_table_row_count_to_equal",
            "kwargs": {"value": 0},
            "meta": {"why": "test: an impossible expectation"},
        }
    )
    suite_file.write_text(json.dumps(suite), encoding="utf-8")
    settings = Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(root / "landing"),
            "BACKOFFICE_DATA_DIR": str(root / "data"),
            "BACKOFFICE_EXPECTATIONS_DIR": str(strict),
        }
    )
    before = publish.current_publication(settings)
    assert before is not None and before.name == published_nights.publications[SECOND].name

    with pytest.raises(pipeline.ChecksFailedError) as failed:
        pipeline.run_night(settings, SECOND)

    assert "expect_table_row_count_to_equal" in str(failed.value)
    night = records(settings, SECOND)
    assert "expect_table_row_count_to_equal" in night.failure_txt.read_text(encoding="utf-8")
    assert night.read_json(night.checks_json)["success"] is False
    reason = failure_reason(night)  # what `backoffice run` prints
    assert reason.startswith("nightly run failed: data checks failed for the run as of 2026-03-09")
    assert "expect_table_row_count_to_equal" in reason
    assert publish.current_publication(settings) == before
    assert published_csv(settings) == published_nights.exceptions[SECOND]
    with duckdb.connect(str(before), read_only=True) as con:
        [(count,)] = con.execute("select count(*) from marts.exceptions").fetchall()
    assert count == len(published_nights.exceptions[SECOND])
