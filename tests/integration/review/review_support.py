"""Set-up shared by the review app's tests: a data dir with cases, and Airflow's login.

Fixtures live here, imported by the test modules, rather than in a conftest.py: the suite's
shared fixture pickles a class of tests/conftest.py by the module name `conftest`.

The people are those of config/cases.yml: `anna` works cases (back office), `sara` is an
auditor. Their passwords are written to a passwords file the simple auth manager reads.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from backoffice.settings import Settings

CLERK, AUDITOR = "anna", "sara"
PASSWORDS = {CLERK: "anna-test-pw-1", AUDITOR: "sara-test-pw-1", "lucia": "lucia-test-pw-1"}
SIMPLE_AUTH_MANAGER = (
    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
)


def data_with_cases(nights, root: Path) -> Settings:
    """A private copy of the published nights' data dir, its cases synced to the last night."""
    from backoffice.cases.night import sync_cases

    shutil.copytree(nights.settings.data_dir, root / "data")
    settings = Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(nights.settings.landing_dir),
            "BACKOFFICE_DATA_DIR": str(root / "data"),
        }
    )
    sync_cases(settings, nights.dates[-1])
    return settings


def auth_environment(home: Path) -> dict[str, str]:
    """The simple auth manager with known users and passwords, as AIRFLOW__* variables."""
    home.mkdir(parents=True, exist_ok=True)
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps(PASSWORDS), encoding="utf-8")
    return {
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{CLERK}:user,{AUDITOR}:viewer,lucia:op",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API_AUTH__JWT_SECRET": "review-tests-only-" + "0123456789abcdef" * 4,
    }


@pytest.fixture(scope="module")
def review_settings(published_nights, tmp_path_factory):
    return data_with_cases(published_nights, tmp_path_factory.mktemp("review-app"))


@pytest.fixture(scope="module")
def auth_manager(tmp_path_factory):
    """Airflow's simple auth manager, initialised as the API server does."""
    env = auth_environment(tmp_path_factory.mktemp("review-auth"))
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from airflow.api_fastapi.app import init_auth_manager, purge_cached_app

    purge_cached_app()
    _revoked_token_table()
    yield init_auth_manager()
    purge_cached_app()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def token_for(auth_manager, name: str, role: str) -> str:
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    return auth_manager.generate_jwt(SimpleAuthManagerUser(username=name, role=role))


@pytest.fixture(scope="module")
def app(review_settings, auth_manager):
    from backoffice.review.app import create_app

    return create_app(review_settings)


def _client(app, token: str | None):
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="http://testserver", follow_redirects=False)
    if token:
        client.cookies.set("_token", token)
    return client


@pytest.fixture()
def clerk(app, auth_manager):
    return _client(app, token_for(auth_manager, CLERK, "user"))


@pytest.fixture()
def auditor(app, auth_manager):
    return _client(app, token_for(auth_manager, AUDITOR, "viewer"))


@pytest.fixture()
def anonymous(app):
    return _client(app, None)


def _revoked_token_table() -> None:
    """Airflow checks every token against its revoked_token table: create that table in the
    test session's scratch metadata database (the rest of Airflow's schema is not needed)."""
    from airflow import settings as airflow_settings
    from airflow.models.revoked_token import RevokedToken

    if airflow_settings.engine is None:
        airflow_settings.configure_orm()
    RevokedToken.__table__.create(airflow_settings.engine, checkfirst=True)
