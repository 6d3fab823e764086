"""The nightly DAG under the real scheduler, the way a deployment runs it.

Airflow's metadata in a throwaway PostgreSQL cluster (tests/support/postgres.py: Debian's
server programs, run as `nobody` when the tests run as root); `airflow db migrate`; the API
server, the scheduler and the DAG processor as three separate processes (LocalExecutor).
The test unpauses `backoffice_nightly` so that the scheduler itself creates the night's run
(yesterday in Italy, as at 02:00 today), follows it through the REST API with a token from
the simple auth manager's `/auth/token`, and checks the publication. While that night runs
it triggers a second night through the REST API and shows that it waits (max_active_runs=1
and the one-slot writer pool) instead of writing the warehouse at the same time.

Airflow 3 also opens an async engine on its metadata (`postgresql+asyncpg`, derived from the
connection). The locked environment has no async PostgreSQL driver yet; until it has one
(`asyncpg`), the test points that engine at a scratch SQLite file. Only the dag-run `wait`
endpoint, multi-team look-ups and the task state store use it: nothing this test drives.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import httpx
import pytest
from support.postgres import ThrowawayPostgres

from backoffice import publish
from backoffice.airflow_env import DAG_ID, WRITER_POOL, airflow_environment, tool
from backoffice.run_records import records
from backoffice.sample import generate_landing_zone
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

ROME = ZoneInfo("Europe/Rome")
USER = "night-operator"
STARTUP_SECONDS = 120
NIGHT_SECONDS = 420
LEDGER_COLUMNS = ("exception_type", "status", "order_line_id", "invoice_number", "amount_eur")


def _async_metadata(root: Path) -> dict[str, str]:
    """The async engine's URL when no async PostgreSQL driver is installed (see above)."""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": f"sqlite+aiosqlite:///{root}/async.db"}
    return {}


def _scheduled_as_of(now: datetime) -> date:
    """The day the scheduler judges on unpausing: the day before the last 02:00 in Italy."""
    last_run = now.replace(hour=2, minute=0, second=0, microsecond=0)
    if last_run > now:
        last_run -= timedelta(days=1)
    return last_run.date() - timedelta(days=1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Deployment:
    settings: Settings
    ledger: Path
    as_of: date
    api: str
    env: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    token: str = ""

    def start(self, name: str, *args: str) -> None:
        log = (self.logs / f"{name}.log").open("w", encoding="utf-8")
        self.processes[name] = subprocess.Popen(
            [tool("airflow"), *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped whole, by its id
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def alive(self) -> None:
        dead = {n: p.returncode for n, p in self.processes.items() if p.poll() is not None}
        assert not dead, f"Airflow processes exited: {dead}; logs in {self.logs}\n{self.tails()}"

    def tails(self) -> str:
        out = []
        for log in sorted(self.logs.glob("*.log")):
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            out.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(out)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.request(method, f"{self.api}{path}", headers=headers, timeout=30, **kwargs)

    def runs(self) -> dict[str, dict[str, Any]]:
        response = self.request("GET", f"/api/v2/dags/{DAG_ID}/dagRuns", params={"limit": 50})
        assert response.status_code == 200, response.text
        return {run["dag_run_id"]: run for run in response.json()["dag_runs"]}


def _wait(what: str, check, deployment: Deployment, seconds: float, every: float = 2.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        deployment.alive()
        try:
            value = check()
        except httpx.TransportError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{deployment.tails()}")
        time.sleep(every)


def _airflow(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([tool("airflow"), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"airflow {' '.join(args)}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("scheduler")
    as_of = _scheduled_as_of(datetime.now(ROME))
    settings = Settings.from_env(
        {"BACKOFFICE_LANDING_DIR": str(root / "landing"), "BACKOFFICE_DATA_DIR": str(root / "data")}
    )
    ledger = root / "expected_exceptions.csv"
    generate_landing_zone(settings.landing_dir, ledger, seed=5, order_lines=60, as_of_dates=[as_of])
    password = secrets.token_urlsafe(16)
    passwords = root / "passwords.json"
    passwords.write_text(json.dumps({USER: password}), encoding="utf-8")
    port = _free_port()
    with ThrowawayPostgres() as postgres:
        env = airflow_environment(settings)
        env.update(
            {
                "AIRFLOW_HOME": str(root / "airflow"),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": postgres.create_database("airflow"),
                "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
                "AIRFLOW__CORE__PARALLELISM": "4",
                "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
                "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
                "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__API__PORT": str(port),
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
                **_async_metadata(root),
            }
        )
        (root / "airflow").mkdir()
        _airflow(env, "db", "migrate")
        _airflow(env, "pools", "set", WRITER_POOL, "1", "DuckDB allows one writer at a time")
        logs = root / "logs"
        logs.mkdir()
        deployment = Deployment(settings, ledger, as_of, f"http://127.0.0.1:{port}", env, logs)
        try:
            deployment.start("api-server", "api-server", "--port", str(port))
            deployment.start("dag-processor", "dag-processor")
            deployment.start("scheduler", "scheduler")
            yield deployment
        finally:
            deployment.stop()


def _token(deployment: Deployment) -> str:
    password = json.loads(
        Path(deployment.env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]).read_text()
    )[USER]
    response = httpx.post(
        f"{deployment.api}/auth/token",
        json={"username": USER, "password": password},
        timeout=30,
    )
    return response.json()["access_token"] if response.status_code in (200, 201) else ""


def test_the_scheduler_runs_the_night_and_a_second_one_waits(deployment: Deployment) -> None:
    started = time.monotonic()
    deployment.token = _wait("the API server's token", lambda: _token(deployment), deployment,
                             STARTUP_SECONDS)  # fmt: skip
    assert deployment.request("GET", f"/api/v2/dags/{DAG_ID}").status_code in (200, 404)
    unauthenticated = httpx.get(f"{deployment.api}/api/v2/dags/{DAG_ID}", timeout=30)
    assert unauthenticated.status_code == 401

    dag = _wait(
        "the DAG processor to parse the DAG",
        lambda: deployment.request("GET", f"/api/v2/dags/{DAG_ID}").status_code == 200,
        deployment,
        STARTUP_SECONDS,
    )
    assert dag
    assert deployment.runs() == {}, "paused at creation: no run before the unpause"
    unpaused = deployment.request("PATCH", f"/api/v2/dags/{DAG_ID}", json={"is_paused": False})
    assert unpaused.status_code == 200, unpaused.text

    def scheduled_running() -> dict[str, Any] | None:
        runs = [r for r in deployment.runs().values() if r["run_type"] == "scheduled"]
        return runs[0] if runs and runs[0]["state"] == "running" else None

    first = _wait("the scheduler to create and start the night", scheduled_running, deployment,
                  STARTUP_SECONDS)  # fmt: skip
    logical = datetime.fromisoformat(first["logical_date"].replace("Z", "+00:00"))
    assert logical.astimezone(ROME).hour == 2, "the night's run, at 02:00 Italian time"
    assert logical.astimezone(ROME).date() - timedelta(days=1) == deployment.as_of

    triggered = deployment.request(
        "POST",
        f"/api/v2/dags/{DAG_ID}/dagRuns",
        json={
            "dag_run_id": "second_night",
            "logical_date": None,
            "conf": {"as_of": deployment.as_of.isoformat()},
        },
    )
    assert triggered.status_code == 200, triggered.text
    waiting = deployment.runs()
    assert waiting["second_night"]["state"] == "queued"
    assert waiting[first["dag_run_id"]]["state"] == "running"

    def while_first_runs() -> bool:
        runs = deployment.runs()
        if runs[first["dag_run_id"]]["state"] == "running":
            assert runs["second_night"]["state"] == "queued", "the second night did not wait"
            return False
        return True

    _wait("the first night to end", while_first_runs, deployment, NIGHT_SECONDS, every=1.0)
    done = _wait(
        "the second night to end",
        lambda: (
            runs
            if (runs := deployment.runs())["second_night"]["state"] in ("success", "failed")
            else None
        ),
        deployment,
        NIGHT_SECONDS,
    )
    first_run, second_run = done[first["dag_run_id"]], done["second_night"]
    assert (first_run["state"], second_run["state"]) == ("success", "success"), deployment.tails()
    assert second_run["start_date"] >= first_run["end_date"], "the nights overlapped"
    _check_publication(deployment)
    print(f"\nreal scheduler: two nights in {time.monotonic() - started:.0f} s")


def _check_publication(deployment: Deployment) -> None:
    """The current publication holds exactly the ledger's exceptions for the night."""
    settings, as_of = deployment.settings, deployment.as_of
    with deployment.ledger.open(encoding="utf-8") as fh:
        expected = sorted(
            tuple(row[c] for c in LEDGER_COLUMNS)
            for row in csv.DictReader(fh)
            if row["as_of"] == as_of.isoformat()
        )
    publication = publish.current_publication(settings)
    con = duckdb.connect(str(publication), read_only=True)
    try:
        rows = con.execute(f"select {', '.join(LEDGER_COLUMNS)} from marts.exceptions").fetchall()
    finally:
        con.close()
    published = sorted(
        tuple(f"{v:.2f}" if isinstance(v, Decimal) else ("" if v is None else str(v)) for v in r)
        for r in rows
    )
    assert published == expected
    night = records(settings, as_of)
    summary = night.read_json(night.summary_json)
    assert summary is not None, f"no summary in {night.directory}"
    assert summary["as_of"] == as_of.isoformat()
