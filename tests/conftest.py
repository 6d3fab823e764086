"""Shared test set-up: Airflow and the tools must never touch the network or ~/airflow."""

import os
import tempfile
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE = Path(os.environ.get("BACKOFFICE_REFERENCE_DIR", SHARED / "reference"))

# Airflow reads its configuration when first imported: point it at a scratch home first.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="backoffice-airflow-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The contract's real format samples, read in place (never copied into the project)."""
    assert REFERENCE.is_dir(), f"the shared reference samples are missing: {REFERENCE}"
    return REFERENCE
