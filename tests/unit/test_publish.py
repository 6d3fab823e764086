"""Write-audit-publish: readers see only whole, checked publications.

Every test of the pointer, the build note and pruning runs for both ways of publishing: a full
copy (`copy`) and a catalog of views over shared Parquet parts (`parts`).
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from backoffice import publish
from backoffice.settings import Settings
from backoffice.warehouse import parts


@pytest.fixture(params=["copy", "parts"])
def settings(tmp_path, request):
    return Settings(
        project_dir=tmp_path,
        landing_dir=tmp_path / "landing",
        data_dir=tmp_path / "data",
        env={"BACKOFFICE_PUBLICATION": request.param},
    )


def build_with(settings: Settings, value: int) -> None:
    path = publish.start_build(settings)
    with duckdb.connect(str(path)) as con:
        con.execute("create table if not exists t (v integer)")
        con.execute("insert into t values (?)", [value])


def test_nothing_published_yet(settings):
    assert publish.current_publication(settings) is None
    with pytest.raises(publish.NoPublicationError):
        publish.connect_published(settings)


def test_publish_switches_pointer_to_an_immutable_copy(settings):
    build_with(settings, 1)
    first = publish.publish(settings, date(2026, 3, 2))
    assert publish.current_publication(settings) == first.path
    assert not first.path.stat().st_mode & 0o222, "a publication must be read-only"

    build_with(settings, 2)  # the next build starts from the publication
    second = publish.publish(settings, date(2026, 3, 3))
    assert second.path != first.path
    with publish.connect_published(settings) as con:
        assert con.execute("select list(v order by v) from t").fetchone()[0] == [1, 2]
    with duckdb.connect(str(first.path), read_only=True) as con:
        assert con.execute("select list(v) from t").fetchone()[0] == [1]


def test_a_failed_build_is_discarded_and_the_publication_stays(settings):
    build_with(settings, 1)
    published = publish.publish(settings, date(2026, 3, 2))
    build_with(settings, 99)  # a run that never reaches publish
    assert publish.current_publication(settings) == published.path
    rebuilt = publish.start_build(settings)  # the retry starts from the publication again
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        assert con.execute("select list(v) from t").fetchone()[0] == [1]


def test_a_reader_is_not_blocked_by_a_build(settings):
    build_with(settings, 1)
    publish.publish(settings, date(2026, 3, 2))
    writer = duckdb.connect(str(publish.start_build(settings)))
    try:
        writer.execute("insert into t values (5)")
        with publish.connect_published(settings) as reader:
            assert reader.execute("select count(*) from t").fetchone()[0] == 1
    finally:
        writer.close()


def test_old_publications_are_pruned(settings):
    for day in range(1, publish.KEEP_PUBLICATIONS + 4):
        build_with(settings, day)
        latest = publish.publish(settings, date(2026, 3, day))
    copies = list(settings.published_dir.glob("warehouse_*.duckdb"))
    assert len(copies) == publish.KEEP_PUBLICATIONS
    assert latest.path in copies


def test_a_published_build_is_kept_for_the_next_night_without_a_copy(settings):
    build_with(settings, 1)
    first = publish.publish(settings, date(2026, 3, 2))
    inode = settings.build_warehouse.stat().st_ino
    build_with(settings, 2)  # start_build keeps the file it published: no copy
    assert settings.build_warehouse.stat().st_ino == inode
    with duckdb.connect(str(first.path), read_only=True) as con:  # the publication is its own
        assert con.execute("select list(v) from t").fetchone()[0] == [1]


def test_a_build_written_after_its_publication_is_laid_down_again(settings):
    build_with(settings, 1)
    publish.publish(settings, date(2026, 3, 2))
    with duckdb.connect(str(settings.build_warehouse)) as con:  # a stray writer, after publish
        con.execute("insert into t values (42)")
    rebuilt = publish.start_build(settings)
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        assert con.execute("select list(v) from t").fetchone()[0] == [1]


def test_a_night_that_failed_after_a_kept_build_starts_again_from_the_publication(settings):
    build_with(settings, 1)
    publish.publish(settings, date(2026, 3, 2))
    build_with(settings, 7)  # kept build, written, never published (checks failed)
    with duckdb.connect(str(settings.build_warehouse)) as con:
        con.execute("checkpoint")  # even folded into the file, the build is known dirty
    rebuilt = publish.start_build(settings)
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        assert con.execute("select list(v) from t").fetchone()[0] == [1]


# --- publication as shared Parquet parts ---------------------------------------------------


@pytest.fixture
def parts_settings(tmp_path):
    return Settings(
        project_dir=tmp_path,
        landing_dir=tmp_path / "landing",
        data_dir=tmp_path / "data",
        env={"BACKOFFICE_PUBLICATION": "parts"},
    )


def night(settings: Settings, day: int, *statements: str) -> publish.Publication:
    """A night: the build written by `statements`, then published as of March `day`."""
    path = publish.start_build(settings)
    with duckdb.connect(str(path)) as con:
        for statement in statements:
            con.execute(statement)
    return publish.publish(settings, date(2026, 3, day))


def rows(path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(con.execute(sql).fetchall())


def part_files(settings: Settings) -> set[str]:
    return {p.name for p in (settings.published_dir / "parts").iterdir()}


RAW = "create table raw_loads (id integer, amount decimal(18,2), _load_id varchar not null)"
MART = "create or replace table mart as select 'fixed' as label, 42::bigint as n"


def load(night_id: str, count: int) -> str:
    return f"insert into raw_loads select i, i * 1.25, '{night_id}' from range({count}) as r(i)"


def test_types_survive_the_parts_exactly(parts_settings):
    create = (
        "create table typed (amount decimal(18,2), rate decimal(38,8), happened_at timestamptz, "
        "day date, tags varchar[], big hugeint, kind enum('a', 'b'), pair struct(x integer), "
        "id uuid, span interval, flag boolean, note varchar not null)"
    )
    insert = (
        "insert into typed values (1234567890123456.78, 0.12345678, "
        "'2026-03-29 01:30:00+00', '2026-03-29', ['x', null], 170141183460469231731687303715, "
        "'b', {'x': 7}, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', interval 3 day, true, 'é')"
    )
    night(parts_settings, 2, create, insert, "create view typed_view as select amount from typed")
    with duckdb.connect(str(parts_settings.build_warehouse), read_only=True) as con:
        types = con.execute("describe typed").fetchall()
        values = con.execute("select * from typed").fetchall()
    with publish.connect_published(parts_settings) as con:
        assert [t[:2] for t in con.execute("describe typed").fetchall()] == [t[:2] for t in types]
        assert con.execute("select * from typed").fetchall() == values
        assert con.execute("select * from typed_view").fetchall() == [(values[0][0],)]
    restored = parts_settings.data_dir / "restored.duckdb"
    publish.materialize(publish.current_publication(parts_settings), restored)
    with duckdb.connect(str(restored), read_only=True) as con:
        assert con.execute("describe typed").fetchall() == types  # NOT NULL kept too
        assert con.execute("select * from typed").fetchall() == values
        con.execute("select * from typed_view").fetchall()


def test_a_second_night_writes_only_its_new_load(parts_settings):
    first = night(parts_settings, 2, RAW, load("2026-03-02/alfa", 5000), MART)
    before = part_files(parts_settings)
    second = night(parts_settings, 3, load("2026-03-03/alfa", 10), MART)
    assert second.written["parts_written"] == 1  # the new load; the old load and the mart shared
    assert second.written["parts_shared"] == 2
    assert part_files(parts_settings) - before and before <= part_files(parts_settings)
    new_part = (part_files(parts_settings) - before).pop()
    size = (parts_settings.published_dir / "parts" / new_part).stat().st_size
    assert second.written["bytes_written"] < first.written["bytes_written"]
    assert second.written["bytes_written"] - size == second.path.stat().st_size  # and the catalog
    with publish.connect_published(parts_settings) as con:
        assert con.execute("select count(*), sum(amount) from raw_loads").fetchone() == (
            5010,
            sum(i * Decimal("1.25") for i in range(5000))
            + sum(i * Decimal("1.25") for i in range(10)),
        )
    assert rows(first.path, "select count(*) from raw_loads") == [(5000,)]


def test_a_changed_partition_is_written_again(parts_settings):
    night(parts_settings, 2, RAW, load("2026-03-02/alfa", 50), MART)
    second = night(parts_settings, 3, "update raw_loads set amount = 0 where id = 7", MART)
    assert second.written["parts_written"] == 1 and second.written["parts_shared"] == 1
    with publish.connect_published(parts_settings) as con:
        assert con.execute("select amount from raw_loads where id = 7").fetchone()[0] == 0


def test_publishing_the_same_build_again_writes_no_part(parts_settings):
    night(parts_settings, 2, RAW, load("2026-03-02/alfa", 50), MART)
    build = parts_settings.build_warehouse
    publish._note_path(build).unlink()  # as after a night that died after writing its parts
    rebuilt = publish.start_build(parts_settings)  # restored from the catalog's parts
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("checkpoint")
    again = publish.publish(parts_settings, date(2026, 3, 2))
    assert again.written["parts_written"] == 0


def test_unreferenced_parts_go_and_the_kept_nights_stay_readable(parts_settings):
    def mart_part(publication: publish.Publication) -> str:
        sql = "select part_file from publication.parts where table_name = 'mart'"
        return rows(publication.path, sql)[0][0].rsplit("/", 1)[-1]

    published = [night(parts_settings, 1, RAW, load("2026-03-01/alfa", 3), MART)]
    nights = publish.KEEP_PUBLICATIONS + 3
    for day in range(2, nights + 1):
        mart = f"create or replace table mart as select 'night {day}' as label, {day}::bigint as n"
        published.append(night(parts_settings, day, load(f"2026-03-{day:02}/alfa", 3), mart))
    marts = [mart_part(p) for p in published[-publish.KEEP_PUBLICATIONS :]]
    kept = sorted(parts_settings.published_dir.glob("warehouse_*.duckdb"))
    assert kept == sorted(p.path for p in published[-publish.KEEP_PUBLICATIONS :])
    assert part_files(parts_settings) == parts.referenced(kept)
    # one part per night's load (the latest night reads them all) and the kept nights' marts
    assert len(part_files(parts_settings)) == nights + publish.KEEP_PUBLICATIONS
    assert set(marts) <= part_files(parts_settings)
    oldest_kept = published[-publish.KEEP_PUBLICATIONS]
    day = oldest_kept.as_of.day
    assert rows(oldest_kept.path, "select label from mart") == [(f"night {day}",)]
    assert rows(oldest_kept.path, "select count(*) from raw_loads") == [(3 * day,)]


def test_a_night_that_dies_writing_a_part_publishes_nothing(parts_settings, monkeypatch):
    first = night(parts_settings, 2, RAW, load("2026-03-02/alfa", 50), MART)

    def die(source, target):
        raise KeyboardInterrupt("killed while writing a part")

    monkeypatch.setattr(parts.os, "replace", die)
    with pytest.raises(KeyboardInterrupt):
        night(parts_settings, 3, load("2026-03-03/alfa", 50), MART)
    monkeypatch.undo()
    assert publish.current_publication(parts_settings) == first.path
    assert rows(first.path, "select count(*) from raw_loads") == [(50,)]
    half = [p for p in (parts_settings.published_dir / "parts").iterdir() if p.suffix == ".tmp"]
    assert half, "the dying night left its half-written part"
    again = night(parts_settings, 3, load("2026-03-03/alfa", 50), MART)
    assert not [p for p in (parts_settings.published_dir / "parts").iterdir() if p.suffix == ".tmp"]
    assert rows(again.path, "select count(*) from raw_loads") == [(100,)]  # not 150


def test_a_reader_locked_to_the_warehouse_still_reads_the_parts(parts_settings, tmp_path):
    night(parts_settings, 2, RAW, load("2026-03-02/alfa", 5), MART)
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    with publish.connect_published(parts_settings) as con:
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        assert con.execute("select count(*) from raw_loads").fetchone()[0] == 5
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"select * from read_csv('{outside}')").fetchall()


def test_a_moved_data_directory_is_relinked_by_the_next_night(parts_settings, tmp_path):
    night(parts_settings, 2, RAW, load("2026-03-02/alfa", 5), MART)
    night(parts_settings, 3, load("2026-03-03/alfa", 5), MART)
    moved = Settings(
        project_dir=tmp_path,
        landing_dir=tmp_path / "landing",
        data_dir=tmp_path / "moved",
        env=parts_settings.env,
    )
    parts_settings.data_dir.rename(moved.data_dir)
    with publish.connect_published(moved) as con, pytest.raises(duckdb.IOException):
        con.execute("select count(*) from raw_loads").fetchall()
    assert len(publish.relink(moved)) == 2
    assert publish.relink(moved) == []
    with publish.connect_published(moved) as con:
        assert con.execute("select count(*) from raw_loads").fetchone()[0] == 10
    fourth = night(moved, 4, load("2026-03-04/alfa", 5), MART)
    assert fourth.written["parts_written"] == 1
    assert rows(fourth.path, "select count(*) from raw_loads") == [(15,)]


def test_many_nights_are_compacted_into_one_part(parts_settings, monkeypatch):
    monkeypatch.setattr(parts, "MAX_PARTS", 3)
    night(parts_settings, 1, RAW, load("2026-03-01/alfa", 4), MART)
    for day in range(2, 6):
        last = night(parts_settings, day, load(f"2026-03-{day:02}/alfa", 4), MART)
    with duckdb.connect(str(last.path), read_only=True) as con:
        counts = con.execute(
            "select table_name, count(*) from publication.parts group by all"
        ).fetchall()
        assert con.execute("select count(*) from raw_loads").fetchone()[0] == 20
    assert dict(counts)["raw_loads"] <= 3


def test_a_copied_data_directory_reads_locked_down_until_relinked(parts_settings, tmp_path):
    import shutil

    night(parts_settings, 2, RAW, load("2026-03-02/alfa", 5), MART)
    copied = Settings(
        project_dir=tmp_path,
        landing_dir=tmp_path / "landing",
        data_dir=tmp_path / "copied",
        env=parts_settings.env,
    )
    shutil.copytree(parts_settings.data_dir, copied.data_dir)

    def locked_count(settings: Settings) -> int:
        with publish.connect_published(settings) as con:
            con.execute("set enable_external_access = false")
            return con.execute("select count(*) from raw_loads").fetchone()[0]

    assert locked_count(copied) == 5  # the copy's catalog still reads the original's parts
    publish.relink(copied)
    shutil.rmtree(parts_settings.data_dir)
    assert locked_count(copied) == 5  # now its own


def test_a_catalog_copied_alone_is_not_relinked_to_parts_it_lacks(parts_settings, tmp_path):
    import shutil

    first = night(parts_settings, 2, RAW, load("2026-03-02/alfa", 5), MART)
    alone = Settings(
        project_dir=tmp_path,
        landing_dir=tmp_path / "landing",
        data_dir=tmp_path / "alone",
        env=parts_settings.env,
    )
    alone.published_dir.mkdir(parents=True)
    shutil.copy(first.path, alone.published_dir)
    (alone.published_dir / publish.POINTER).write_text(first.path.name + "\n")
    assert publish.relink(alone) == []
    with publish.connect_published(alone) as con:
        assert con.execute("select count(*) from raw_loads").fetchone()[0] == 5


# --- a large table keyed by order line: tonight's changed keys as a delta ------------------


KEYED = (
    "create table lines (order_line_id varchar, step integer, amount decimal(18,2), note varchar)"
)
KEYED_ROWS = (
    "insert into lines select case when i < 3 then null else 'SO-' || (i // 3) end, i % 3, "
    "i * 0.25, 'n' || i from range(3000) as r(i)"
)  # 1,000 keys of 3 rows, and one key (null) that is a key too


@pytest.fixture
def keyed(parts_settings, monkeypatch):
    monkeypatch.setattr(parts, "DELTA_MIN_ROWS", 1000)
    return parts_settings


def published_equals_build(settings: Settings, sql: str = "select * from lines") -> list[tuple]:
    with publish.connect_published(settings) as con:
        published = sorted(con.execute(sql).fetchall(), key=repr)  # null keys: sort by repr
    assert published == any_order(settings.build_warehouse, sql)
    return published


def any_order(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(con.execute(sql).fetchall(), key=repr)


def layers(publication: publish.Publication) -> list[dict]:
    manifest = parts.read_manifest(publication.path)
    return next(t for t in manifest["tables"] if t["name"] == "lines")["parts"]


def test_a_keyed_table_publishes_only_the_keys_that_changed(keyed):
    first = night(keyed, 2, KEYED, KEYED_ROWS)
    second = night(
        keyed,
        3,
        "update lines set amount = amount + 1 where order_line_id = 'SO-7' and step = 1",
        "delete from lines where order_line_id = 'SO-9'",
        "insert into lines values ('SO-new', 0, 1.00, 'x'), ('SO-new', 1, 2.00, null)",
        "update lines set note = 'changed' where order_line_id is null and step = 2",
    )
    assert layers(second)[0] == layers(first)[0]  # the whole part is shared
    delta = layers(second)[1]
    assert delta["rows"] == 3 + 2 + 3  # SO-7, SO-new and the null key: whole keys, not rows
    assert second.written["parts_written"] == 1 and second.written["parts_shared"] == 1
    catalog = second.path.stat().st_size
    assert second.written["bytes_written"] - catalog < layers(first)[0]["bytes"] / 4
    assert len(published_equals_build(keyed)) == 3000 - 3 + 2
    with duckdb.connect(str(second.path), read_only=True) as con:
        files = {f for (f,) in con.execute("select part_file from publication.parts").fetchall()}
    assert {Path(f).name for f in files} == {layers(first)[0]["file"], *delta_files(delta)}
    assert part_files(keyed) == parts.referenced([first.path, second.path])
    # unchanged the next night: every layer shared, nothing written but the catalog
    third = night(keyed, 4, "select 1")
    assert third.written["parts_written"] == 0 and layers(third) == layers(second)
    # laid down again from the layers (after a failed night): the same rows, the same types
    restored = keyed.data_dir / "restored.duckdb"
    publish.materialize(third.path, restored)
    assert any_order(restored, "select * from lines") == any_order(
        keyed.build_warehouse, "select * from lines"
    )
    assert any_order(restored, "describe lines") == any_order(
        keyed.build_warehouse, "describe lines"
    )


def delta_files(part: dict) -> set[str]:
    return {part["file"], part["excludes"]}


def test_deltas_stack_and_are_written_whole_again_after_max_deltas(keyed, monkeypatch):
    monkeypatch.setattr(parts, "MAX_DELTAS", 2)
    night(keyed, 2, KEYED, KEYED_ROWS)
    counts = []
    for day in range(3, 7):
        published = night(
            keyed,
            day,
            f"update lines set amount = amount + {day} where order_line_id = 'SO-{day}'",
            f"delete from lines where order_line_id = 'SO-{day + 100}'",
        )
        counts.append(len(layers(published)))
        published_equals_build(keyed)  # a later delta's key hides the earlier layers' rows
    assert counts == [2, 3, 1, 2]


def test_a_keyed_table_that_changed_too_much_is_written_whole(keyed, monkeypatch):
    monkeypatch.setattr(parts, "RETRY_DELTA_EVERY", 3)
    night(keyed, 2, KEYED, KEYED_ROWS)
    whole = night(keyed, 3, "update lines set step = step + 10 where order_line_id < 'SO-5'")
    assert len(layers(whole)) == 1 and not layers(whole)[0].get("excludes")
    published_equals_build(keyed)
    # refused: not compared again for RETRY_DELTA_EVERY nights; then a small change is a delta
    for day in range(4, 4 + parts.RETRY_DELTA_EVERY):
        last = night(keyed, day, f"update lines set note = 'd{day}' where order_line_id = 'SO-1'")
        assert len(layers(last)) == (1 if day < 3 + parts.RETRY_DELTA_EVERY else 2), day
    published_equals_build(keyed)


@pytest.mark.parametrize("dying_on", ["keys", "rows"])
def test_a_night_that_dies_writing_a_delta_publishes_nothing(keyed, monkeypatch, dying_on):
    first = night(keyed, 2, KEYED, KEYED_ROWS)
    real_replace = parts.os.replace

    def die(source, target):  # on the list of keys, or on the delta's rows after it
        is_keys = ".keys." in str(target)
        if str(target).endswith(".parquet") and is_keys == (dying_on == "keys"):
            raise KeyboardInterrupt("killed while writing a delta")
        real_replace(source, target)

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(parts.os, "replace", die)
        night(keyed, 3, "update lines set amount = 0 where order_line_id = 'SO-1'")
    assert publish.current_publication(keyed) == first.path
    assert len(any_order(first.path, "select * from lines where amount = 0")) == 1  # i = 0
    again = night(keyed, 3, "update lines set amount = 0 where order_line_id = 'SO-1'")
    assert len(layers(again)) == 2 and layers(again)[1]["rows"] == 3
    assert not [p for p in (keyed.published_dir / "parts").iterdir() if p.suffix == ".tmp"]
    published_equals_build(keyed)
