"""How Airflow runs dbt: Cosmos renders each model as a task from the built manifest.

Rendering from `target/manifest.json` keeps DAG parsing free of `dbt ls`;
`backoffice run` (and the Docker image build) run `dbt parse` to make it.
"""

from __future__ import annotations

from typing import Any

from cosmos import ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

from backoffice.airflow_env import WRITER_POOL, tool
from backoffice.settings import Settings

DBT_PROFILE = "backoffice"
DBT_TARGET = "duckdb"
AS_OF_FROM_RUN = "{{ ti.xcom_pull(task_ids='begin_run')['as_of'] }}"


def dbt_task_group_config(settings: Settings) -> dict[str, Any]:
    project = settings.dbt_project_dir
    return {
        "project_config": ProjectConfig(
            dbt_project_path=project,
            manifest_path=project / "target" / "manifest.json",
            install_dbt_deps=False,
        ),
        "profile_config": ProfileConfig(
            profile_name=DBT_PROFILE,
            target_name=DBT_TARGET,
            profiles_yml_filepath=project / "profiles.yml",
        ),
        "execution_config": ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.DBT_RUNNER,
            dbt_executable_path=tool("dbt"),
        ),
        "render_config": RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.AFTER_ALL,
        ),
        "operator_args": {
            "vars": {"as_of": AS_OF_FROM_RUN},
            "env": {"BACKOFFICE_WAREHOUSE_PATH": str(settings.build_warehouse)},
            "append_env": True,
            "pool": WRITER_POOL,
            "emit_datasets": False,  # the DAG's own Assets mark what it produces
            "retries": 0,
        },
    }
