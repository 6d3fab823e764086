"""`backoffice ui`: Airflow and the review app on one machine, set up from the project alone.

Every setting Airflow needs is stated here (on top of `airflow_env.airflow_environment`):
the DAGs and plugins folders of the project, no examples, SQLite metadata in the data
directory, a parallelism that suits a small machine, one API worker, the simple auth
manager with the people of `config/cases.yml` and their passwords in a generated file in the
data directory. The same values are written to `<airflow home>/airflow.cfg`, so a plain
`airflow` command pointed at that home sees the same Airflow.

Each component runs in its own process group; Ctrl-C (or SIGTERM) sends SIGTERM to every
group, waits a few seconds, then SIGKILLs what is left: no worker outlives the command.
"""

from __future__ import annotations

import configparser
import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from backoffice.airflow_env import airflow_environment, ensure_airflow, tool
from backoffice.cases import people
from backoffice.settings import Settings

SIMPLE_AUTH_MANAGER = (
    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
)
# The back office's roles as Airflow's simple auth manager roles: auditors only read.
AIRFLOW_ROLES = {"back_office": "user", "lead": "op", "manager": "op", "auditor": "viewer"}
COMPONENTS = ("api-server", "scheduler", "dag-processor")
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class Login:
    name: str
    role: str
    password: str


def passwords_file(settings: Settings) -> Path:
    return settings.airflow_home / "simple_auth_manager_passwords.json"


def logins(settings: Settings, *, generated: list[str] | None = None) -> list[Login]:
    """Everyone in config/cases.yml with a password (created once, kept in the data dir)."""
    config = people.load(settings)
    path = passwords_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for name in config.people:
        if name not in known:
            known[name] = secrets.token_urlsafe(12)
            if generated is not None:
                generated.append(name)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(known, indent=1) + "\n", encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return [Login(n, p.role, known[n]) for n, p in config.people.items()]


def _secret(settings: Settings, name: str) -> str:
    """A secret generated once per data directory (never in the repository)."""
    path = settings.airflow_home / f".{name}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        os.chmod(path, 0o600)
    return path.read_text(encoding="utf-8").strip()


def parallelism() -> int:
    """Task slots for this machine: its cores, at least 2 (not Airflow's default 32)."""
    return max(2, os.cpu_count() or 2)


def ui_settings(settings: Settings, *, host: str, port: int) -> dict[str, str]:
    """The Airflow settings `backoffice ui` runs with, as AIRFLOW__SECTION__KEY variables."""
    config = people.load(settings)
    users = ",".join(f"{n}:{AIRFLOW_ROLES[p.role]}" for n, p in config.people.items())
    base_url = f"http://{host}:{port}"
    return {
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.project_dir / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(settings.project_dir / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": str(parallelism()),
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(parallelism()),
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": users,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords_file(settings)),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base_url}/execution/",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": (
            f"sqlite:///{settings.airflow_home / 'airflow.db'}"
        ),
        "AIRFLOW__API__HOST": host,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": base_url,
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__EXPOSE_CONFIG": "False",
        "AIRFLOW__API_AUTH__JWT_SECRET": _secret(settings, "jwt_secret"),
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR": "True",
        "AIRFLOW__WEBSERVER__WARN_DEPLOYMENT_EXPOSURE": "False",
    }


def write_airflow_cfg(settings: Settings, values: dict[str, str]) -> Path:
    """Align `<home>/airflow.cfg` with the values (secrets stay out of it)."""
    path = settings.airflow_home / "airflow.cfg"
    cfg = configparser.ConfigParser(interpolation=None)
    if path.exists():
        cfg.read(path, encoding="utf-8")
    for variable, value in values.items():
        if "JWT_SECRET" in variable:
            continue
        section, key = variable.removeprefix("AIRFLOW__").lower().split("__", 1)
        if not cfg.has_section(section):
            cfg.add_section(section)
        cfg.set(section, key, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        cfg.write(fh)
    return path


def ui_environment(settings: Settings, *, host: str, port: int) -> dict[str, str]:
    env = airflow_environment(settings)
    env.update(ui_settings(settings, host=host, port=port))
    return env


class Components:
    """The Airflow processes of `backoffice ui`, each the leader of its own process group."""

    def __init__(self, env: dict[str, str], log_dir: Path, names=COMPONENTS) -> None:
        self.env = env
        self.log_dir = log_dir
        self.names = names
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in self.names:
            log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
            self.processes[name] = subprocess.Popen(
                [tool("airflow"), name],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            log.close()

    def dead(self) -> list[str]:
        return [n for n, p in self.processes.items() if p.poll() is not None]

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """SIGTERM every group, then SIGKILL what is still there after `grace` seconds."""
        groups = [p.pid for p in self.processes.values()]
        for pgid in groups:
            _signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(_group_alive(g) for g in groups):
            for p in self.processes.values():
                p.poll()
            time.sleep(0.1)
        for pgid in groups:
            _signal_group(pgid, signal.SIGKILL)
        deadline = time.monotonic() + 5  # SIGKILL is delivered asynchronously: see them go
        while time.monotonic() < deadline and any(_group_alive(g) for g in groups):
            for p in self.processes.values():
                p.poll()
            time.sleep(0.05)
        for p in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=5)


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still exists (zombies of our own children aside)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def wait_until_ready(url: str, components: Components, timeout: float = 180.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "api-server" in components.dead():
            raise RuntimeError("the API server stopped while starting")
        try:
            if httpx.get(f"{url}/api/v2/monitor/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"Airflow did not answer on {url} within {timeout:.0f} s")


def run_ui(
    settings: Settings,
    *,
    host: str,
    port: int,
    out: Callable[[str], None] = print,
) -> int:
    """Start Airflow with the review app, print where and who logs in, stop on Ctrl-C."""
    generated: list[str] = []
    accounts = logins(settings, generated=generated)
    env = ui_environment(settings, host=host, port=port)
    write_airflow_cfg(settings, ui_settings(settings, host=host, port=port))
    out(f"Preparing Airflow in {settings.airflow_home} ...")
    ensure_airflow(settings, env)
    components = Components(env, settings.airflow_home / "logs" / "ui")

    def _stop(signum, frame):  # Ctrl-C, or SIGTERM from a service manager
        raise KeyboardInterrupt

    # Set both explicitly: a shell that starts us in the background ignores SIGINT otherwise.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    components.start()
    try:
        url = f"http://{host}:{port}"
        wait_until_ready(url, components)
        out(f"\nThe back-office queue: {url}/backoffice/  (Airflow: {url}/)")
        out(f"Log in at {url}/auth/login with one of these (config/cases.yml):")
        for a in accounts:
            shown = a.password if a.name in generated else "(in the passwords file)"
            out(f"  {a.name:<10} {a.role:<12} {shown}")
        out(f"Passwords: {passwords_file(settings)} (kept; delete a line to get a new one).")
        out(f"Logs: {components.log_dir}. Ctrl-C stops everything.")
        while not (dead := components.dead()):
            time.sleep(0.5)
        out(f"Airflow's {', '.join(dead)} stopped; see its log in {components.log_dir}.")
        return 1
    except KeyboardInterrupt:
        out("\nStopping Airflow ...")
        return 0
    finally:
        for sig in previous:  # a second Ctrl-C must not cut the stopping short
            signal.signal(sig, signal.SIG_IGN)
        components.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        out("Stopped.")
