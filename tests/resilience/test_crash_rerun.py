"""Crash at any step, rerun, same result.

A night (as of 9 March, after a published night as of 2 March) runs in a child process and
is killed with SIGKILL during ingest, then rerun and killed during dbt, then during the data
checks, then half way through writing its publication; the last rerun goes to the end. After
every kill the current publication is still the previous night's, whole and readable (no
half-written publication is ever visible) and the case store is untouched; at the end the
publication holds exactly what an uninterrupted night publishes from the same start: the same
exceptions, the same manifest of landed files and quarantined rows, the same history.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from backoffice import pipeline, publish
from backoffice.sample import generate_landing_zone
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

FIRST, SECOND = date(2026, 3, 2), date(2026, 3, 9)
CHILD = Path(__file__).with_name("crash_child.py")
STEPS = ("ingest", "dbt", "checks", "publish")
# What must be equal between the crashed-and-rerun night and the uninterrupted one.
CONTENT = {
    "exceptions": "select * from marts.exceptions",
    "exception_history": "select * from marts.exception_history",
    "landed_files": "select * from raw.landed_files",
    "quarantine": "select * from raw.quarantine",
    "order_lines": "select * from marts.order_lines",
}


@dataclass
class Prepared:
    root: Path
    data: Path  # the data directory after the first night, never written again
    landing: Path

    def settings(self, data: Path) -> Settings:
        return Settings.from_env(
            {"BACKOFFICE_LANDING_DIR": str(self.landing), "BACKOFFICE_DATA_DIR": str(data)}
        )

    def copy(self, name: str) -> Settings:
        target = self.root / name
        shutil.copytree(self.data, target)
        return self.settings(target)


def content(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            name: sorted(map(repr, con.execute(sql).fetchall())) for name, sql in CONTENT.items()
        }
    finally:
        con.close()


def case_store(settings: Settings) -> list[str]:
    path = Path(settings.cases_url.removeprefix("sqlite:///"))
    assert path.exists(), f"the first night created no case store at {path}"
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = tmp_path_factory.mktemp("crash")
    landing = root / "landing"
    generate_landing_zone(
        landing, root / "ledger.csv", seed=17, order_lines=100, as_of_dates=(FIRST, SECOND)
    )
    out = Prepared(root, root / "prepared", landing)
    pipeline.run_night(out.settings(out.data), FIRST)
    return out


def _crash(settings: Settings, step: str, marker: Path) -> float:
    """Start the night in a child, SIGKILL it as soon as it reports the step; seconds taken."""
    env = {
        **os.environ,
        "BACKOFFICE_LANDING_DIR": str(settings.landing_dir),
        "BACKOFFICE_DATA_DIR": str(settings.data_dir),
    }
    marker.unlink(missing_ok=True)
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, str(CHILD), SECOND.isoformat(), step, str(marker)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        while not marker.exists():
            if child.poll() is not None:
                output = child.stdout.read().decode(errors="replace")[-4000:]
                raise AssertionError(
                    f"the night ended before {step} ({child.returncode}):\n{output}"
                )
            if time.monotonic() - started > 600:
                raise AssertionError(f"the night never reached {step}")
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return time.monotonic() - started


def test_a_night_killed_at_every_step_reruns_to_the_same_publication(prepared: Prepared) -> None:
    before = prepared.settings(prepared.data)
    first_publication = publish.current_publication(before)
    assert first_publication is not None
    first_content = content(first_publication)
    cases_before = case_store(before)

    uninterrupted = prepared.copy("uninterrupted")
    pipeline.run_night(uninterrupted, SECOND)
    expected = content(publish.current_publication(uninterrupted))
    assert expected["exceptions"] != first_content["exceptions"], "the second night changes them"

    crashed = prepared.copy("crashed")
    seconds = {}
    for step in STEPS:
        seconds[step] = _crash(crashed, step, prepared.root / "marker")
        current = publish.current_publication(crashed)
        assert current is not None and current.name == first_publication.name, step
        assert content(current) == first_content, f"after a kill during {step}"
        for copy in crashed.published_dir.glob("warehouse_*.duckdb"):
            content(copy)  # every publication file opens whole
        assert case_store(crashed) == cases_before, f"the case store changed during {step}"
    leftovers = list(crashed.published_dir.glob("*.tmp"))
    assert leftovers, "the kill during publication left its half-written copy"
    assert all(p.stat().st_size > 0 for p in leftovers)

    summary = pipeline.run_night(crashed, SECOND)
    final = publish.current_publication(crashed)
    assert final is not None and final.name != first_publication.name
    assert content(final) == expected
    assert summary["as_of"] == SECOND.isoformat()
    print("\nseconds to each kill:", {k: round(v, 1) for k, v in seconds.items()})
