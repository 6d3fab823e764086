"""A private copy of the shared two-night sample, with people's work on its cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy

from backoffice.cases.store import CaseFilter, CaseStore
from backoffice.settings import Settings


def copy_nights(published_nights, target: Path) -> Settings:
    shutil.copytree(published_nights.root, target, symlinks=True)
    return Settings.from_env(
        {
            "BACKOFFICE_LANDING_DIR": str(target / "landing"),
            "BACKOFFICE_DATA_DIR": str(target / "data"),
        }
    )


def work_some_cases(settings: Settings) -> list[str]:
    """What a morning of the back office leaves: assignments, notes, a closure, a credit."""
    with CaseStore.open(settings) as store:
        open_ids = [c.exception_id for c in store.query(CaseFilter(status=("new",)), limit=6).rows]
        billing = store.query(CaseFilter(status=("new",), owner=("provider_billing",)), limit=1)
        store.update(open_ids[:3], actor="lucia", assignee="marco", note="=1+1 take these")
        store.update(open_ids[3:4], actor="anna", status="closed", root_cause="not_an_error")
        store.update(open_ids[4:5], actor="anna", status="waiting_provider", note="asked Alfa")
        if billing.rows:
            store.update([billing.rows[0].exception_id], actor="marco", credit_expected_eur="12.34")
    return open_ids


def snapshot(settings: Settings) -> dict[str, list[tuple]]:
    """Every row of every case table, in a stable order."""
    engine = sqlalchemy.create_engine(settings.cases_url)
    tables = {
        "cases": "exception_id",
        "case_history": "history_id",
        "case_notes": "note_id",
    }
    try:
        with engine.connect() as conn:
            return {
                table: [
                    tuple(r) for r in conn.exec_driver_sql(f"select * from {table} order by {key}")
                ]
                for table, key in tables.items()
            }
    finally:
        engine.dispose()
