"""A night that rebuilds everything never loses or changes a case, nor a write made meanwhile.

On a private copy of the shared sample, people work some cases; then the night's
steps run again with every dbt model rebuilt from scratch (case import,
`dbt build --full-refresh`, checks, audit record, publish, case sync) while a
second process adds notes to cases in a loop (SQLite in WAL mode, the default
store). Afterwards every case, history row and note from before is still there,
unchanged; every note the writer counted is there; the writer never failed;
and the new publication sees the people's work. (One night serves both checks:
a rebuild costs most of this module's time.)
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from night_copy import copy_nights, snapshot, work_some_cases

from backoffice import pipeline, publish
from backoffice.cases.night import import_case_state, sync_cases
from backoffice.dbt_runner import run_dbt

pytestmark = pytest.mark.integration
WRITER = Path(__file__).with_name("case_writer.py")


def _start_writer(settings, tmp_path):
    stop, report = tmp_path / "stop", tmp_path / "report"
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(settings.data_dir), str(stop), str(report)],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not Path(str(report) + ".started").exists():
        assert writer.poll() is None, writer.stderr.read()
        assert time.monotonic() < deadline, "the writer did not start"
        time.sleep(0.1)
    return writer, stop, report


def test_a_full_refresh_night_keeps_every_case_and_every_write_made_meanwhile(
    published_nights, tmp_path
):
    settings = copy_nights(published_nights, tmp_path / "copy")
    as_of = published_nights.dates[-1]
    worked = work_some_cases(settings)
    before = snapshot(settings)
    assert before["case_notes"] and before["case_history"]

    writer, stop, report = _start_writer(settings, tmp_path)
    try:
        imported = import_case_state(settings, as_of)
        run_dbt(settings, "build", "--full-refresh", as_of=as_of)
        pipeline.check_build(settings, as_of, "full_refresh_test")
        pipeline.record_night(settings, as_of, "full_refresh_test")
        pipeline.publish_build(settings, as_of)
        result = sync_cases(settings, as_of)
    finally:
        stop.write_text("stop")
        _, errors = writer.communicate(timeout=120)
    assert writer.returncode == 0, errors
    written, failures = (int(x) for x in report.read_text().split())
    assert failures == 0, errors
    assert written >= 25

    # Nothing from before was lost or changed; the writer's notes are all there.
    assert imported["cases"] == len(before["cases"])
    assert (result["opened"], result["closed"], result["reopened"]) == (0, 0, 0)
    after = snapshot(settings)
    assert len(after["cases"]) == len(before["cases"])
    old_history = {row[0]: row for row in before["case_history"]}
    assert all({r[0]: r for r in after["case_history"]}[k] == v for k, v in old_history.items())
    assert after["case_notes"][: len(before["case_notes"])] == before["case_notes"]
    new_notes = after["case_notes"][len(before["case_notes"]) :]
    assert sorted(n[4] for n in new_notes) == sorted(f"writer note {i}" for i in range(written))
    unchanged = {c[0]: c for c in before["cases"]}
    noted = {n[1] for n in new_notes}
    for case in after["cases"]:
        if case[0] not in noted:  # a note touches only its case's updated_at
            assert case == unchanged[case[0]]

    # The new publication sees the people's work.
    with publish.connect_published(settings) as con:
        workload = dict(
            con.execute("select assignee, open_cases from marts.case_workload").fetchall()
        )
        state = dict(
            con.execute(
                "select exception_id, case_status from staging.stg_cases__case_state"
            ).fetchall()
        )
    assert workload["marco"] == 3
    assert state[worked[3]] == "closed" and state[worked[4]] == "waiting_provider"
    assert len(state) == len(before["cases"])

    # An older night synced again changes nothing either.
    settled = snapshot(settings)
    assert sync_cases(settings, date(2026, 3, 2))["outcome"] == "skipped_older_night"
    assert snapshot(settings) == settled
