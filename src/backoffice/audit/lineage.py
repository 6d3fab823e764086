"""OpenLineage: every task and every dbt model of a night, as events in files."""

from __future__ import annotations

from backoffice.settings import Settings


def airflow_environment(settings: Settings) -> dict[str, str]:
    """The settings Airflow's OpenLineage provider needs (merged into Airflow's environment)."""
    return {}
