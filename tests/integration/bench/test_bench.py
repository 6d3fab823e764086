"""The benchmark measures real pieces in child processes and tabulates them; the summary
it reports accounts for every landed entry. No assertion on seconds."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from decimal import Decimal

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


def test_each_phase_runs_in_its_own_process_measured_with_what_it_writes(
    published_nights, tmp_path
):
    nights = published_nights.settings
    shutil.copytree(nights.data_dir, tmp_path / "data")
    settings = bench._settings(nights, nights.landing_dir, tmp_path / "data")
    as_of = published_nights.dates[-1]
    measured, published = {}, {}
    bench._night(settings, as_of, ("publication", "report"), tmp_path, "", measured, published, "n")
    left = published["n"]
    assert (tmp_path / "logs" / "phase-publication.log").exists()
    report = measured["report"]
    assert report.wall > 0 and report.cpu > 0 and report.peak_mb > 20
    assert report.detail["as_of"] == str(as_of)  # the child's own result came back
    text = (settings.runs_dir / str(as_of) / "summary.txt").read_text(encoding="utf-8")
    assert "unexpected" in text and "New tonight" in text
    # Whatever the publication's design, it leaves new bytes for readers, and the kernel
    # counts what the phase wrote; the build, rewritten in place, is not counted as new.
    assert left[bench.PUBLICATIONS] > 0 and "build" not in left
    assert measured["publication"].written > 0


def test_new_bytes_count_a_file_shared_by_a_hard_link_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "old").write_bytes(b"x" * 100)
    (tmp_path / "a" / "changed").write_bytes(b"y" * 10)
    before = bench._files(tmp_path)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "new").write_bytes(b"z" * 1000)
    (tmp_path / "b" / "shared").hardlink_to(tmp_path / "a" / "old")
    (tmp_path / "a" / "changed").write_bytes(b"y" * 20)
    assert bench.new_bytes(before, bench._files(tmp_path), tmp_path) == {"a": 20, "b": 1000}


def test_exceptions_are_compared_to_the_cent_on_what_a_rebuild_can_know(published_nights):
    first, last = published_nights.dates
    rows = {}
    for as_of in (first, last):
        with duckdb.connect(str(published_nights.publications[as_of]), read_only=True) as con:
            rows[as_of] = bench.exception_rows(con)
    assert rows[last] and bench.compare_rows(rows[last], set(rows[last]))["only_rebuild"] == 0
    moved = {(*r[:-2], r[-2] + Decimal("0.01"), r[-1]) for r in list(rows[last])[:1]}
    changed = (rows[last] - set(list(rows[last])[:1])) | moved
    assert bench.compare_rows(rows[last], changed) == {
        "incremental": len(rows[last]),
        "rebuild": len(rows[last]),
        "only_incremental": 1,
        "only_rebuild": 1,
    }
    between = bench.compare_rows(rows[first], rows[last])
    assert between["only_incremental"] + between["only_rebuild"] > 0


def test_the_incremental_scope_is_read_from_the_build(published_nights, tmp_path):
    # The shared second night follows the first on the same data directory: incremental.
    scope = bench.incremental_scope(published_nights.settings.build_warehouse)
    assert scope["full_rebuild"] is False and scope["reason"] is None
    assert scope["order_lines"] > 0
    assert bench.incremental_scope(tmp_path / "none.duckdb") == {}


def test_a_quick_bench_tabulates_what_it_measured(tmp_path):
    from backoffice.settings import Settings

    settings = Settings.from_env(
        {"BACKOFFICE_DATA_DIR": str(tmp_path / "data"), "BACKOFFICE_LANDING_DIR": str(tmp_path)}
    )
    result = bench.run_bench(
        settings, lines=60, as_of=date(2026, 3, 9), airflow=False, phases=("ingest",)
    )
    saved_as_it_went = json.loads((tmp_path / "data/bench/60-lines/bench.json").read_text())
    assert saved_as_it_went["complete"] and result.complete
    files = result.generate.detail["files_by_date"]
    assert sum(files.values()) == result.generate.detail["files"]
    loaded = result.phases["ingest"].detail["files"]
    assert 0 < loaded <= sum(n for d, n in files.items() if d <= "2026-03-09")
    # A rebuild of the later night loads the files of both days. (Whether the incremental
    # night loads only the new ones depends on a publication, which this quick run skips.)
    assert files["2026-03-10"] > 0
    assert result.rebuild["ingest"].detail["files"] > loaded
    assert set(result.incremental) == set(result.rebuild) == {"ingest"}
    assert result.published == {}  # no publication phase ran
    table = bench.render_markdown(result)
    for label in ("parse floor", "naive peer", bench.PHASE_NAMES["ingest"], "all phases"):
        assert label in table
    assert "Ratios: in-process night / parse floor" in table
    assert "Later night as of 2026-03-10" in table and "| **all phases** |" in table
    assert set(bench.PHASE_NAMES) == set(PHASES)
    saved = json.loads(json.dumps(result.to_dict(), default=str))  # as bench.json keeps it
    assert bench.render_markdown(bench.from_dict(saved)) == table
    page = tmp_path / "benchmarks.md"
    bench.append_to(page, table)
    bench.append_to(page, table)
    assert page.read_text(encoding="utf-8").count("### 60 order lines") == 2
    assert "Data checks against one SQL query: not measured" in table  # no dbt phase ran
    checks = {"gx_cpu_s": 3.0, "gx_wall_s": 4.0, "sql_cpu_s": 1.5, "sql_wall_s": 1.0}
    measured = bench.from_dict({**saved, "checks_sql": bench.Measure(9, 9, 9, checks).__dict__})
    assert "GX / SQL 2.00 in CPU, 4.00 in wall time" in bench.render_markdown(measured)
    bigger = bench.from_dict({**saved, "lines": 600})
    side = bench.render_side_by_side([bigger, result]).splitlines()
    assert side[0] == "| | 60 lines | 600 lines |"
    assert all(row.count("|") == 4 for row in side)
