"""A publication killed with SIGKILL while it writes a Parquet part publishes nothing.

A child process publishes a build with a large table (BACKOFFICE_PUBLICATION=parts) and is
killed the moment its first part is being written. The pointer still names the previous
publication, which reads whole; the half-written part is never read by anything and the next
publication of the same build removes it and writes the part whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import duckdb
import pytest

from backoffice import publish
from backoffice.settings import Settings
from backoffice.warehouse import parts

pytestmark = pytest.mark.integration

ROWS = 1_500_000  # enough for the part to take a moment to write
CHILD = """
import sys
from datetime import date
from backoffice import publish
from backoffice.settings import Settings
publish.publish(Settings.from_env(), date(2026, 3, 9))
"""


def test_a_publication_killed_while_writing_a_part_publishes_nothing(tmp_path):
    env = {"BACKOFFICE_DATA_DIR": str(tmp_path / "data"), "BACKOFFICE_PUBLICATION": "parts"}
    settings = Settings.from_env(env)
    with duckdb.connect(str(publish.start_build(settings))) as con:
        con.execute("create table facts (id bigint, amount decimal(18,2), _load_id varchar)")
        con.execute("insert into facts values (1, 1.50, '2026-03-02/alfa')")
    first = publish.publish(settings, date(2026, 3, 2))

    with duckdb.connect(str(publish.start_build(settings))) as con:
        con.execute(
            "insert into facts select i, (i % 100000) / 100, '2026-03-09/alfa' "
            f"from range(2, {ROWS}) as r(i)"
        )
    part_dir = parts.parts_dir(settings.published_dir)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not list(part_dir.glob("*.tmp")):
            assert child.poll() is None, child.stdout.read().decode(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the publication never started a part"
            time.sleep(0.005)
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    assert publish.current_publication(settings) == first.path
    with publish.connect_published(settings) as con:
        assert con.execute("select count(*), sum(amount) from facts").fetchone() == (1, 1.5)
    assert list(part_dir.glob("*.tmp")), "the kill left its half-written part"

    # the night's rerun: the build is laid down again from the publication and written again
    with duckdb.connect(str(publish.start_build(settings))) as con:
        assert con.execute("select count(*) from facts").fetchone()[0] == 1
        con.execute(
            "insert into facts select i, (i % 100000) / 100, '2026-03-09/alfa' "
            "from range(2, 1000) as r(i)"
        )
    again = publish.publish(settings, date(2026, 3, 9))
    assert not list(part_dir.glob("*.tmp"))
    with publish.connect_published(settings) as con:
        assert con.execute("select count(*) from facts").fetchone()[0] == 999
    assert again.written["parts_written"] == 1 and again.written["parts_shared"] == 1
