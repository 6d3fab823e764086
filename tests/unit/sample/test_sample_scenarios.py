"""Clean units never produce an exception; each scenario produces what it is meant to."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from backoffice.sample.builder import Context
from backoffice.sample.generator import SAMPLE_DAYS, _units
from backoffice.sample.landing import LandingWriter
from backoffice.sample.oracle import judge
from backoffice.sample.scenarios import CATALOGUE
from backoffice.sample.sinks import Sinks


def _judged(tmp_path: Path, seed: int, as_of: tuple[date, ...], lines: int) -> dict[str, set[str]]:
    ctx = Context(seed, as_of, as_of[0] - timedelta(days=SAMPLE_DAYS))
    writer = LandingWriter(Sinks(tmp_path), ctx)
    found: dict[str, set[str]] = defaultdict(set)
    for unit in _units(ctx, lines):
        records = writer.write(unit)
        for day in as_of:
            found[unit.scenario] |= {f.exception_type for f in judge(records, day)}
    return found


@pytest.mark.parametrize(
    ("seed", "as_of"),
    [
        (11, (date(2026, 1, 7), date(2026, 2, 2), date(2026, 4, 7))),
        (12, (date(2026, 10, 5), date(2026, 12, 28))),
    ],
)
def test_clean_units_stay_clean(tmp_path: Path, seed: int, as_of: tuple[date, ...]) -> None:
    found = _judged(tmp_path, seed, as_of, 500)
    assert found["clean"] == set()
    assert all(not kinds for name, kinds in found.items() if name.startswith("dst_days"))


def test_each_scenario_yields_its_exception(tmp_path: Path) -> None:
    found = _judged(tmp_path, 7, (date(2026, 3, 2), date(2026, 3, 9)), 400)
    for scenario in CATALOGUE:
        for provider in ("alfa", "nuvola"):
            assert set(scenario.expects) <= found[f"{scenario.name}:{provider}"], scenario.name
