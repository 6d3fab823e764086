"""The benchmark measures real pieces in child processes and tabulates them; the summary
it reports accounts for every landed entry. No assertion on seconds."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import duckdb
import pytest

from backoffice import publish, summary
from backoffice.bench import run as bench
from backoffice.bench.child import PHASES
from backoffice.bench.floor import parse_floor
from backoffice.registry import load_registry

pytestmark = pytest.mark.integration


def test_the_parse_floor_reads_every_delivered_file(published_nights):
    settings, as_of = published_nights.settings, published_nights.dates[-1]
    counts = parse_floor(settings.landing_dir, load_registry(settings.registry_path), as_of)
    with duckdb.connect(str(published_nights.publications[as_of]), read_only=True) as con:
        files, invoices, signed = con.execute(
            "select count(*), count(*) filter (where feed = 'invoices' and source = 'alfa'), "
            "count(*) filter (where file_path like '%.p7m') "
            "from raw.landed_files where status <> 'unexpected'"
        ).fetchone()
    assert counts.delimited_files + counts.ndjson_files + counts.invoice_files == files
    assert (counts.invoice_files, counts.signed_invoices) == (invoices, signed)
    assert signed > 0 and counts.rows > counts.invoice_files


def test_a_phase_runs_in_its_own_process_measured_by_the_kernel(published_nights, tmp_path):
    nights = published_nights.settings
    shutil.copytree(nights.data_dir, tmp_path / "data")
    settings = bench._settings(nights, nights.landing_dir, tmp_path / "data")
    as_of = published_nights.dates[-1]
    measured = bench._measure("phase", {"phase": "report", "as_of": str(as_of)}, settings, tmp_path)
    assert measured.wall > 0 and measured.cpu > 0 and measured.peak_mb > 20
    assert measured.detail["as_of"] == str(as_of)  # the child's own result came back
    text = (settings.runs_dir / str(as_of) / "summary.txt").read_text(encoding="utf-8")
    assert "unexpected" in text and "New tonight" in text


def test_the_summary_accounts_for_every_landed_entry_and_says_what_is_new(published_nights):
    settings = published_nights.settings
    first, last = published_nights.dates
    delivered_since_first = [
        f
        for f in settings.landing_dir.glob("*/*/*/*")
        if f.is_file() and first < date.fromisoformat(f.parent.name) <= last
    ]
    with publish.connect_published(settings) as con:
        tonight = summary.build_summary(con, settings, last)
        quiet = summary.build_summary(con, settings, last + timedelta(days=7))
    assert tonight.files_landed == (
        tonight.files_loaded
        + tonight.files_redelivered
        + tonight.files_unreadable
        + tonight.files_unexpected
    )
    assert tonight.files_new_tonight == len(delivered_since_first) > 0
    assert quiet.files_new_tonight == 0
    assert "No new deliveries tonight" in summary.render_text(quiet)
    feeds = [f"{s}/{f}" for s, f in load_registry(settings.registry_path).feeds()]
    assert quiet.feeds_without_new_files == feeds


def test_a_quick_bench_tabulates_what_it_measured(tmp_path):
    from backoffice.settings import Settings

    settings = Settings.from_env(
        {"BACKOFFICE_DATA_DIR": str(tmp_path / "data"), "BACKOFFICE_LANDING_DIR": str(tmp_path)}
    )
    result = bench.run_bench(
        settings, lines=60, as_of=date(2026, 3, 9), airflow=False, phases=("ingest",)
    )
    assert result.phases["ingest"].detail["files"] == result.generate.detail["files"] - 5 > 0
    table = bench.render_markdown(result)
    for label in ("parse floor", "naive peer", bench.PHASE_NAMES["ingest"], "all phases"):
        assert label in table
    assert "Ratios: in-process night / parse floor" in table
    assert set(bench.PHASE_NAMES) == set(PHASES)
    saved = json.loads(json.dumps(result.to_dict(), default=str))  # as bench.json keeps it
    assert bench.render_markdown(bench.from_dict(saved)) == table
    page = tmp_path / "benchmarks.md"
    bench.append_to(page, table)
    bench.append_to(page, table)
    assert page.read_text(encoding="utf-8").count("### 60 order lines") == 2
