"""Plain answers for plain mistakes: each stops the night at once, naming the setting and fix."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from backoffice import pipeline
from backoffice.errors import BackofficeError
from backoffice.preflight import check_before_night
from backoffice.settings import Settings

TODAY = date(2026, 3, 10)


def _settings(landing: Path, data: Path, **env: str) -> Settings:
    return Settings.from_env(
        {"BACKOFFICE_LANDING_DIR": str(landing), "BACKOFFICE_DATA_DIR": str(data), **env}
    )


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing" / "crm" / "signed_orders" / "2026-03-02"
    folder.mkdir(parents=True)
    (folder / "orders.csv").write_text("order_id\n", encoding="utf-8")
    return tmp_path / "landing"


def _refusal(settings: Settings, as_of: date, today: date = TODAY) -> str:
    with pytest.raises(BackofficeError) as caught:
        check_before_night(settings, as_of, today=today)
    message = str(caught.value)
    assert "\n" not in message, "one sentence, on one line"
    return message


def test_a_good_set_up_passes_and_creates_the_data_dir(tmp_path, landing):
    settings = _settings(landing, tmp_path / "new" / "data")
    check_before_night(settings, date(2026, 3, 9), today=TODAY)
    assert settings.data_dir.is_dir()
    assert list(settings.data_dir.iterdir()) == [], "the write probe leaves nothing behind"


def test_a_missing_landing_zone(tmp_path):
    missing = tmp_path / "nowhere"
    message = _refusal(_settings(missing, tmp_path / "data"), date(2026, 3, 9))
    assert message == (
        f"BACKOFFICE_LANDING_DIR points to {missing}, which does not exist: set it to the "
        "folder where the providers' exports land (<source>/<feed>/<YYYY-MM-DD>/<file>)."
    )


def test_an_empty_landing_zone_even_with_empty_folders(tmp_path):
    empty = tmp_path / "landing"
    (empty / "crm" / "signed_orders" / "2026-03-02").mkdir(parents=True)
    message = _refusal(_settings(empty, tmp_path / "data"), date(2026, 3, 9))
    assert message.startswith(f"BACKOFFICE_LANDING_DIR points to {empty}, which holds no file:")
    assert "backoffice generate" in message


def test_a_landing_zone_that_is_a_file(tmp_path):
    file = tmp_path / "landing.zip"
    file.write_bytes(b"PK")
    message = _refusal(_settings(file, tmp_path / "data"), date(2026, 3, 9))
    assert message.startswith(f"BACKOFFICE_LANDING_DIR points to {file}, which is a file")


def test_a_data_dir_that_cannot_be_written(tmp_path, landing):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    data = blocker / "data"
    message = _refusal(_settings(landing, data), date(2026, 3, 9))
    assert message.startswith(f"BACKOFFICE_DATA_DIR points to {data}, which cannot be written (")
    assert message.endswith("set it to a folder this user can write, or fix its permissions.")


def test_a_date_before_the_dags_start(tmp_path, landing):
    message = _refusal(_settings(landing, tmp_path / "data"), date(2025, 12, 31))
    assert message == (
        "The as-of date 2025-12-31 is before the nightly DAG's start date 2026-01-01, so "
        "Airflow would run nothing: choose --as-of 2026-01-01 or later."
    )
    check_before_night(_settings(landing, tmp_path / "data"), date(2026, 1, 1), today=TODAY)


def test_a_date_in_the_future_unless_a_simulation_allows_it(tmp_path, landing):
    message = _refusal(_settings(landing, tmp_path / "data"), date(2026, 3, 11))
    assert message.startswith(
        "The as-of date 2026-03-11 is in the future (today in Italy is 2026-03-10): choose "
        "--as-of 2026-03-10 or earlier"
    )
    check_before_night(_settings(landing, tmp_path / "data"), TODAY, today=TODAY)
    simulation = _settings(landing, tmp_path / "data", BACKOFFICE_ALLOW_FUTURE_AS_OF="1")
    check_before_night(simulation, date(2028, 12, 27), today=TODAY)


def test_the_night_stops_at_once_before_touching_anything(tmp_path):
    """The first step refuses in milliseconds (not after a 74 s build), writing nothing."""
    settings = _settings(tmp_path / "nowhere", tmp_path / "data")
    started = time.monotonic()
    with pytest.raises(BackofficeError, match="BACKOFFICE_LANDING_DIR"):
        pipeline.run_night(settings, date(2026, 3, 9))
    assert time.monotonic() - started < 2
    assert not (tmp_path / "data" / "build").exists()
    assert not (tmp_path / "data" / "published").exists()
