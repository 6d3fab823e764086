"""Airflow on one machine: its home, its SQLite metadata and its pool, inside the data dir.

A real deployment sets the same `AIRFLOW__*` variables itself (docker-compose
does); what is already set in the environment wins over these defaults.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from backoffice.settings import Settings

DAG_ID = "backoffice_nightly"
WRITER_POOL = "duckdb_writer"


def tool(name: str) -> str:
    """A console script of this environment (airflow, dbt), beside the running Python."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def airflow_environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    defaults = {
        "AIRFLOW_HOME": str(settings.airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.project_dir / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(settings.project_dir / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Europe/Rome",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "AIRFLOW__COSMOS__PROPAGATE_LOGS": "False",
        "GX_ANALYTICS_ENABLED": "False",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        # The OpenLineage listener emits each task's START and COMPLETE events from a thread it
        # waits for, instead of forking the task's process for each event (two forks a task, a
        # fork of a process holding Airflow, dbt and DuckDB: about 0.1 s each).
        "AIRFLOW__OPENLINEAGE__EXECUTE_IN_THREAD": "True",
    }
    from backoffice.audit.lineage import airflow_environment as lineage_environment

    defaults.update(lineage_environment(settings))
    for key, value in defaults.items():
        env.setdefault(key, value)
    env.update(
        {
            "BACKOFFICE_PROJECT_DIR": str(settings.project_dir),
            "BACKOFFICE_LANDING_DIR": str(settings.landing_dir),
            "BACKOFFICE_DATA_DIR": str(settings.data_dir),
            "BACKOFFICE_WAREHOUSE_PATH": str(settings.build_warehouse),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    if settings.expectations_override:
        env["BACKOFFICE_EXPECTATIONS_DIR"] = str(settings.expectations_override)
    return env


def ensure_airflow(settings: Settings, env: dict[str, str]) -> None:
    """Create the metadata database and the writer pool once."""
    home = Path(env["AIRFLOW_HOME"])
    marker = home / ".backoffice-ready"
    if marker.exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    _check([tool("airflow"), "db", "migrate"], env, "create Airflow's metadata database")
    _check(
        [tool("airflow"), "pools", "set", WRITER_POOL, "1", "DuckDB allows one writer at a time"],
        env,
        f"create the {WRITER_POOL} pool",
    )
    marker.write_text("migrated\n", encoding="utf-8")


def _check(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise RuntimeError(f"could not {what} ({' '.join(cmd)}):\n{tail}")
