"""Publication without full copies, on real nights: what a quiet night writes, what readers see.

The shared two-night sample is copied; its kept build is published again, as a full copy
(BACKOFFICE_PUBLICATION=copy) and as shared Parquet parts (the default), which must hold
exactly what the full copy held; then a quiet night (as of 16 March, no new deliveries) runs
in process while a reader keeps asking. That night must write a small fraction of a full
copy, the reader must only ever see the old or the new publication, and the night before
must stay readable.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pytest

from backoffice import pipeline, publish
from backoffice.audit.history import published_exceptions
from backoffice.audit.sql import RefusedStatementError, run_readonly
from backoffice.settings import Settings
from backoffice.warehouse import parts

pytestmark = pytest.mark.integration

QUIET_NIGHT = date(2026, 3, 16)
# A night with no new deliveries rewrites the marts that depend on the as-of date, and
# shares every load of the raw tables and every unchanged partition: a fraction of a copy.
AT_MOST_OF_A_COPY = 0.25
SIGNATURE = """
    select (select max(as_of) from marts.exceptions),
        (select count(*) from marts.exceptions),
        (select max(as_of) from audit.control_log),
        (select count(*) from raw.landed_files),
        (select count(*) from marts.row_lineage)
"""


@dataclass
class PartsNights:
    settings: Settings
    copy: Path  # the second night's full copy, as the shared sample published it
    converted: Path  # the same build published as parts
    quiet: Path  # the quiet night's publication
    build_bytes: int  # what a full copy of the quiet night would have written
    written: list[Path]  # the files the quiet night wrote under published/
    answers: list[tuple] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _files(directory: Path) -> dict[Path, int]:
    return {p: p.stat().st_ino for p in directory.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def nights(published_nights, tmp_path_factory) -> PartsNights:
    root = tmp_path_factory.mktemp("parts-nights")
    shutil.copytree(published_nights.settings.data_dir, root / "data")
    settings = Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(published_nights.settings.landing_dir),
            "BACKOFFICE_DATA_DIR": str(root / "data"),
            "BACKOFFICE_PUBLICATION": "parts",
            "BACKOFFICE_AUDIT_DOCS": "0",
        }
    )
    # The same build published both ways: a full copy first, then as parts.
    as_copy = Settings.from_env({**settings.env, "BACKOFFICE_PUBLICATION": "copy"})
    copy = publish.publish(as_copy, published_nights.dates[-1]).path
    converted = publish.publish(settings, published_nights.dates[-1]).path

    result = PartsNights(settings, copy, converted, converted, 0, [])
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                with publish.connect_published(settings) as con:
                    result.answers.append(con.execute(SIGNATURE).fetchone())
            except Exception as exc:  # what the test looks for
                result.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.2)

    reader = threading.Thread(target=read, daemon=True)
    before = _files(settings.published_dir)
    reader.start()
    try:
        with pytest.MonkeyPatch.context() as patched:
            # the sample's tables are small: let the keyed ones be published as deltas
            patched.setattr(parts, "DELTA_MIN_ROWS", 100)
            pipeline.run_night(settings, QUIET_NIGHT)
    finally:
        stop.set()
        reader.join(timeout=60)
    after = _files(settings.published_dir)
    result.quiet = publish.current_publication(settings)
    result.written = [p for p, inode in after.items() if before.get(p) != inode]
    result.build_bytes = settings.build_warehouse.stat().st_size
    return result


def _content(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[list, list]]:
    relations = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where not internal and schema_name <> 'publication' "
        "union all select schema_name, view_name from duckdb_views() where not internal"
    ).fetchall()
    content = {}
    for schema, name in relations:
        sql = f'select * from "{schema}"."{name}"'
        types = [row[:2] for row in con.execute(f"describe {sql}").fetchall()]
        content[f"{schema}.{name}"] = (types, sorted(map(repr, con.execute(sql).fetchall())))
    return content


def _assert_same_content(expected_path: Path, got_path: Path) -> dict:
    """Every table and view of both, with the same types and the same rows; `expected`'s."""
    with duckdb.connect(str(expected_path), read_only=True) as con:
        expected = _content(con)
    with duckdb.connect(str(got_path), read_only=True) as con:
        got = _content(con)
    assert got.keys() == expected.keys()
    for relation, (types, rows) in expected.items():
        assert got[relation][0] == types, relation  # DECIMAL, TIMESTAMPTZ... as they were
        assert got[relation][1] == rows, relation
    return expected


def test_the_parts_hold_exactly_what_the_full_copy_held(nights):
    expected = _assert_same_content(nights.copy, nights.converted)
    assert len(expected) > 40


def test_the_quiet_night_publishes_exactly_its_build(nights):
    """Shared parts, and the keyed tables' deltas over them, read as the build's tables."""
    _assert_same_content(nights.settings.build_warehouse, nights.quiet)


def test_a_quiet_night_writes_a_fraction_of_a_full_copy(nights):
    assert nights.quiet != nights.converted
    written = sum(p.stat().st_size for p in nights.written if p.exists())
    assert nights.quiet in nights.written
    others = [p for p in nights.written if p.parent.name != "parts" and p != nights.quiet]
    assert [p.name for p in others] == [publish.POINTER]
    assert written < AT_MOST_OF_A_COPY * nights.build_bytes, (written, nights.build_bytes)
    with duckdb.connect(str(nights.quiet), read_only=True) as con:
        read = [
            Path(f) for (f,) in con.execute("select part_file from publication.parts").fetchall()
        ]
        landed = con.execute(
            "select part_file from publication.parts where table_schema = 'raw' "
            "and table_name = 'landed_files'"
        ).fetchall()
    shared = [p for p in read if p not in nights.written]
    assert len(shared) > len(read) / 2, "most parts are the night before's"
    assert landed and all(Path(f) in shared for (f,) in landed), (
        "no new delivery: the landed files' parts are the night before's"
    )
    print(
        f"\nquiet night wrote {written:,} bytes in {len(nights.written)} files; "
        f"a full copy is {nights.build_bytes:,} bytes"
    )


def test_a_reader_during_the_night_sees_the_old_or_the_new_never_a_mix(nights):
    with duckdb.connect(str(nights.converted), read_only=True) as con:
        old = con.execute(SIGNATURE).fetchone()
    with duckdb.connect(str(nights.quiet), read_only=True) as con:
        new = con.execute(SIGNATURE).fetchone()
    assert old != new and old[0] < new[0] == QUIET_NIGHT
    assert nights.errors == []
    assert len(nights.answers) >= 3
    assert set(nights.answers) <= {old, new}
    assert nights.answers[0] == old and nights.answers[-1] == new
    switch = nights.answers.index(new)
    assert set(nights.answers[switch:]) == {new}, "once switched, never back"


def test_the_night_before_stays_readable_and_an_earlier_night_answers(nights, published_nights):
    with duckdb.connect(str(nights.copy), read_only=True) as con:
        before = sorted(con.execute("select * from marts.exceptions").fetchall())
    with duckdb.connect(str(nights.converted), read_only=True) as con:
        assert sorted(con.execute("select * from marts.exceptions").fetchall()) == before
    first = published_nights.dates[0]
    with duckdb.connect(str(published_nights.publications[first]), read_only=True) as con:
        then = sorted(con.execute("select * from marts.exceptions").fetchall())
    with publish.connect_published(nights.settings) as con:
        assert sorted(published_exceptions(con, first).fetchall()) == then


def test_parts_no_kept_publication_reads_are_removed(nights):
    kept = sorted(nights.settings.published_dir.glob("warehouse_*.duckdb"))
    on_disk = {p.name for p in parts.parts_dir(nights.settings.published_dir).iterdir()}
    assert on_disk == parts.referenced(kept)
    assert not list(nights.settings.published_dir.rglob("*.tmp"))


def test_auditors_sql_reads_the_parts_and_nothing_else(nights):
    result = run_readonly(
        nights.settings,
        "select count(*) as n, sum(amount_eur) as eur from marts.exceptions where status = 'open'",
    )
    assert result.columns == ["n", "eur"] and result.rows[0][0] > 0
    with pytest.raises(RefusedStatementError):
        run_readonly(nights.settings, "select * from read_parquet('/etc/hostname')")


def test_a_night_dying_in_publication_publishes_nothing_and_the_build_is_restored(
    nights, monkeypatch
):
    settings = nights.settings
    current = publish.current_publication(settings)
    build = publish.start_build(settings)
    with duckdb.connect(str(build)) as con:
        con.execute("update marts.exceptions set amount_eur = amount_eur + 1")

    def die(*args, **kwargs):
        raise RuntimeError("killed while writing a part")

    monkeypatch.setattr(parts, "_write_part", die)
    with pytest.raises(RuntimeError, match="killed"):
        publish.publish(settings, QUIET_NIGHT)
    monkeypatch.undo()
    assert publish.current_publication(settings) == current
    restored = publish.start_build(settings)  # the next run starts from the publication
    with duckdb.connect(str(restored), read_only=True) as con:
        got = _content(con)
        kinds = dict(
            con.execute(
                "select table_schema || '.' || table_name, table_type "
                "from information_schema.tables"
            ).fetchall()
        )
    with duckdb.connect(str(current), read_only=True) as con:
        assert got == _content(con)
    assert kinds["marts.exceptions"] == "BASE TABLE" and kinds["raw.landed_files"] == "BASE TABLE"
