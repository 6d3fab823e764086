"""Readers during a night: the back office keeps reading while the night builds and publishes.

A night runs in a child process (on a copy of the shared two-night data directory, as of
16 March) while three kinds of reader query the published warehouse without pause: the CLI
`backoffice exceptions`, the nightly report's data and page, and a plain DuckDB client. No
reader may fail or wait long, and every answer must be one whole publication: exactly the
exceptions of the night before, or exactly those of the new night, never a mix.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from backoffice import publish
from backoffice.report import write_report
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

NIGHT = date(2026, 3, 16)
SLOWEST_ANSWER_SECONDS = 30.0  # on two shared cores; a blocked reader waits the whole night
CLI = Path(sys.executable).with_name("backoffice")
Signature = frozenset[tuple[str, str, Decimal]]


@dataclass
class Reader:
    name: str
    read: Callable[[], Signature | None]
    answers: list[tuple[float, Signature | None]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def loop(self, stop: threading.Event) -> None:
        while True:
            last = stop.is_set()
            started = time.monotonic()
            try:
                answer = self.read()
            except Exception as exc:  # a reader error is what the test looks for
                self.errors.append(f"{type(exc).__name__}: {exc}")
            else:
                self.answers.append((time.monotonic() - started, answer))
            if last:
                return
            time.sleep(0.5)  # readers keep asking, and leave the night some CPU


def signature_of(con: duckdb.DuckDBPyConnection) -> Signature:
    rows = con.execute("select exception_id, status, amount_eur from marts.exceptions").fetchall()
    return frozenset((str(i), str(s), Decimal(a)) for i, s, a in rows)


def _duckdb_reader(settings: Settings) -> Signature:
    con = duckdb.connect(str(publish.current_publication(settings)), read_only=True)
    try:
        return signature_of(con)
    finally:
        con.close()


def _cli_reader(settings: Settings) -> Signature:
    env = {
        **os.environ,
        "BACKOFFICE_LANDING_DIR": str(settings.landing_dir),
        "BACKOFFICE_DATA_DIR": str(settings.data_dir),
    }
    done = subprocess.run([str(CLI), "exceptions"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows = csv.DictReader(io.StringIO(done.stdout))
    return frozenset((r["exception_id"], r["status"], Decimal(r["amount_eur"])) for r in rows)


def _report_reader(settings: Settings, scratch: Settings) -> None:
    """The report's queries and page, written to a scratch folder (the night writes its own)."""
    with publish.connect_published(settings) as con:
        page = write_report(scratch, con, NIGHT)
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    return None


def test_readers_never_fail_wait_or_see_half_a_night(published_nights, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(published_nights.settings.data_dir, data)
    settings = Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(published_nights.settings.landing_dir),
            "BACKOFFICE_DATA_DIR": str(data),
        }
    )
    scratch = Settings.from_env({**settings.env, "BACKOFFICE_DATA_DIR": str(tmp_path / "scratch")})
    before = publish.current_publication(settings)
    with publish.connect_published(settings) as con:
        old = signature_of(con)

    readers = [
        Reader("duckdb client", lambda: _duckdb_reader(settings)),
        Reader("cli", lambda: _cli_reader(settings)),
        Reader("report", lambda: _report_reader(settings, scratch)),
    ]
    stop = threading.Event()
    threads = [threading.Thread(target=r.loop, args=(stop,), daemon=True) for r in readers]
    for thread in threads:
        thread.start()
    env = {
        **os.environ,
        "BACKOFFICE_LANDING_DIR": str(settings.landing_dir),
        "BACKOFFICE_DATA_DIR": str(data),
    }
    code = (
        "import sys; from datetime import date; from backoffice import pipeline; "
        "from backoffice.settings import Settings; "
        "pipeline.run_night(Settings.from_env(), date.fromisoformat(sys.argv[1]))"
    )
    started = time.monotonic()
    night = subprocess.run(
        [sys.executable, "-c", code, NIGHT.isoformat()], env=env, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert night.returncode == 0, night.stderr[-4000:]

    after = publish.current_publication(settings)
    assert after is not None and after != before
    with publish.connect_published(settings) as con:
        new = signature_of(con)
    assert new != old, "the night changes what is published"
    for reader in readers:
        assert reader.errors == [], reader.name
        assert len(reader.answers) >= 3, f"{reader.name} read only {len(reader.answers)} times"
        slowest = max(s for s, _ in reader.answers)
        assert slowest < SLOWEST_ANSWER_SECONDS, f"{reader.name} waited {slowest:.1f} s"
        seen = {answer for _, answer in reader.answers if answer is not None}
        assert seen <= {old, new}, f"{reader.name} saw a state that was never published"
    client = [answer for _, answer in readers[0].answers]
    assert client[0] == old and client[-1] == new
    switch = client.index(new)
    assert all(a == new for a in client[switch:]), "once switched, never back"
    print(
        f"\nreaders during a {seconds:.0f} s night:",
        {r.name: len(r.answers) for r in readers},
    )
