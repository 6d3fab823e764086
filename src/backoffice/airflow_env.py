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


READY_MARKER = ".backoffice-ready"


def airflow_ready(env: dict[str, str]) -> bool:
    """Whether this Airflow home's metadata database and writer pool were made already."""
    return (Path(env["AIRFLOW_HOME"]) / READY_MARKER).exists()


def prepare_metadata(home: Path) -> None:
    """Create (or migrate) Airflow's metadata database and the writer pool, in this process.

    Called inside an Airflow process that is starting anyway (`backoffice run`'s `airflow
    dags test`, see night/airflow_cli.py): done there it costs about 1 s of CPU, where
    `airflow db migrate` and `airflow pools set` were two more interpreters importing
    Airflow, about 6 s of a first night (docs/airflow-dbt.md). Airflow must be imported
    with its environment (AIRFLOW_HOME, the database URL) already set.
    """
    from airflow.models.pool import Pool
    from airflow.utils.db import upgradedb

    home.mkdir(parents=True, exist_ok=True)
    upgradedb()
    Pool.create_or_update_pool(
        WRITER_POOL, 1, "DuckDB allows one writer at a time", include_deferred=False
    )
    (home / READY_MARKER).write_text("migrated\n", encoding="utf-8")


def ensure_airflow(settings: Settings, env: dict[str, str]) -> None:
    """Create the metadata database and the writer pool once (one Airflow process)."""
    if airflow_ready(env):
        return
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    _check(
        [sys.executable, "-m", "backoffice.night.airflow_cli", "--prepare"],
        env,
        f"create Airflow's metadata database and the {WRITER_POOL} pool",
    )


def _check(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise RuntimeError(f"could not {what} ({' '.join(cmd)}):\n{tail}")
