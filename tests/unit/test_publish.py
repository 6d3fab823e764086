"""Write-audit-publish: readers see only whole, checked copies."""

from datetime import date

import duckdb
import pytest

from backoffice import publish
from backoffice.settings import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings(
        project_dir=tmp_path, landing_dir=tmp_path / "landing", data_dir=tmp_path / "data"
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
