"""Case-store fixtures: the same tests run on SQLite (the default) and on a real PostgreSQL.

A plain module, not a conftest.py: a second module named `conftest` would shadow the
top-level one in sys.modules (test folders here are not packages), and the shared
nights fixture pickles a class of the top-level conftest.
"""

from __future__ import annotations

import itertools

import pytest
from support.postgres import postgres_server  # noqa: F401  (a fixture, used below)

from backoffice.settings import Settings

_databases = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
def case_settings(request, tmp_path) -> Settings:
    """Settings whose case store is empty: SQLite in tmp_path, or a fresh Postgres database."""
    env = {"BACKOFFICE_DATA_DIR": str(tmp_path / "data")}
    if request.param == "postgres":
        server = request.getfixturevalue("postgres_server")
        env["BACKOFFICE_CASES_URL"] = server.create_database(f"cases_{next(_databases)}")
    return Settings.from_env(env)
