"""One default sample per test session (seed 7, 400 lines, two runs), shared read-only."""

from __future__ import annotations

import pytest
from sample_io import AS_OF

from backoffice.sample import GeneratedSample, generate_landing_zone


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> GeneratedSample:
    root = tmp_path_factory.mktemp("sample")
    return generate_landing_zone(
        root / "landing",
        root / "expected_exceptions.csv",
        seed=7,
        order_lines=400,
        as_of_dates=AS_OF,
    )
