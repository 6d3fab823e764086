"""`--full-refresh` reaches dbt from every way of starting a night.

`backoffice run --full-refresh` asks the DAG (its `full_refresh` param), `run_night(...,
full_refresh=True)` asks in process; both end in `pipeline.build_layer`, which must hand dbt
the flag on every layer (the incremental models then rebuild from the raw data).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from backoffice import pipeline
from backoffice.orchestration import DBT_LAYERS


def _recording(monkeypatch) -> list[tuple[str, ...]]:
    calls: list[tuple[str, ...]] = []

    def fake_run_dbt(settings, command, *args, as_of=None, warehouse=None, artifacts=True):
        calls.append((command, *args))
        return SimpleNamespace(invocation_id="x", results=[])

    monkeypatch.setattr("backoffice.dbt_runner.run_dbt", fake_run_dbt)
    # The seeds as if a seed file had changed (their skip is tests/integration/
    # test_dag_unchanged.py's): every layer then calls dbt.
    monkeypatch.setattr("backoffice.night.unchanged.seeds_unchanged", lambda settings: None)
    monkeypatch.setattr("backoffice.night.unchanged.remember_seeds", lambda *args: None)
    return calls


def test_every_layer_gets_full_refresh_when_asked(monkeypatch) -> None:
    calls = _recording(monkeypatch)
    pipeline.build_models(None, date(2026, 3, 9), full_refresh=True)
    assert len(calls) == len(DBT_LAYERS)
    assert all(call[0] == "build" and "--full-refresh" in call for call in calls)


def test_no_full_refresh_by_default(monkeypatch) -> None:
    calls = _recording(monkeypatch)
    pipeline.build_models(None, date(2026, 3, 9))
    assert calls and not any("--full-refresh" in call for call in calls)


def test_the_cli_and_the_dag_offer_it() -> None:
    from backoffice.cli import build_parser

    args = build_parser().parse_args(["run", "--as-of", "2026-03-09", "--full-refresh"])
    assert args.full_refresh is True
    assert build_parser().parse_args(["run", "--as-of", "2026-03-09"]).full_refresh is False
