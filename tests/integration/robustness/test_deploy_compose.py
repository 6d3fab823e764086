"""docker-compose.yml has Airflow 3's deployment shape, and every secret comes from the
environment with no default.

With Docker's compose plugin, `docker compose config` resolves the file (and must refuse it
when a secret is missing); without it, the YAML is parsed and the same rules are checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
COMPOSE = REPO / "docker-compose.yml"
AIRFLOW_COMMANDS = {
    "airflow-apiserver": "airflow api-server",
    "airflow-scheduler": "airflow scheduler",
    "airflow-dag-processor": "airflow dag-processor",
    "airflow-triggerer": "airflow triggerer",
}
SECRET = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY\b", re.IGNORECASE)
REQUIRED_REF = re.compile(r"\$\{(\w+):\?[^}]+\}")
ANY_REF = re.compile(r"\$\{(\w+)([^}]*)\}")
TEST_SECRETS = {
    "POSTGRES_PASSWORD": "pw-from-env",
    "AIRFLOW_FERNET_KEY": "fernet-from-env",
    "AIRFLOW_JWT_SECRET": "jwt-from-env",
}


def _compose_plugin() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _command(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else " ".join(str(command).split())


def test_the_services_are_airflow_3s_deployment(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "airflow-init", *AIRFLOW_COMMANDS}
    for name, command in AIRFLOW_COMMANDS.items():
        assert _command(services[name]) == command, name
    init = _command(services["airflow-init"])
    assert "airflow db migrate" in init
    assert "airflow pools set duckdb_writer 1" in init
    images = {services[n].get("image") for n in ["airflow-init", *AIRFLOW_COMMANDS]}
    assert images == {"backoffice:latest"}, "one image, built from the project's lock file"
    for name in AIRFLOW_COMMANDS:
        after = services[name]["depends_on"]
        assert after["airflow-init"]["condition"] == "service_completed_successfully", name
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
        assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith(
            "http://airflow-apiserver:8080/execution"
        )
    assert services["airflow-init"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["airflow-apiserver"]["ports"] == ["8080:8080"]


def test_every_secret_comes_from_the_environment_with_no_default() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    secrets: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition(":")
        for variable, rest in ANY_REF.findall(line):
            if SECRET.search(variable):
                assert rest.startswith(":?"), f"line {number}: ${{{variable}}} has a default"
                secrets.add(variable)
        if SECRET.search(key) and value.strip():
            assert REQUIRED_REF.search(value), f"line {number}: {key.strip()} is not from the env"
    assert secrets == set(TEST_SECRETS)


def test_the_dockerfile_builds_the_same_project() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "uv sync --frozen" in dockerfile
    assert "AIRFLOW__CORE__DAGS_FOLDER=/opt/backoffice/dags" in dockerfile
    assert "USER airflow" in dockerfile
    assert not SECRET.search(
        "\n".join(line for line in dockerfile.splitlines() if line.lstrip().startswith("ENV"))
    )


def test_docker_compose_config_resolves_and_refuses_missing_secrets(tmp_path: Path) -> None:
    """The real client where it has the compose plugin; the parsed file's own check otherwise."""
    if not _compose_plugin():
        text = COMPOSE.read_text(encoding="utf-8")
        required = {v for v in REQUIRED_REF.findall(text)}
        assert required == set(TEST_SECRETS), "without the client: the same required variables"
        return
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path), **TEST_SECRETS}
    base = ["docker", "compose", "-f", str(COMPOSE), "--project-directory", str(tmp_path)]
    resolved = subprocess.run(
        [*base, "config", "--format", "json"], env=env, capture_output=True, text=True, timeout=60
    )
    assert resolved.returncode == 0, resolved.stderr
    assert "pw-from-env" in resolved.stdout
    for missing in TEST_SECRETS:
        partial = {k: v for k, v in env.items() if k != missing}
        refused = subprocess.run(
            [*base, "config"], env=partial, capture_output=True, text=True, timeout=60
        )
        assert refused.returncode != 0 and missing in refused.stderr, missing
