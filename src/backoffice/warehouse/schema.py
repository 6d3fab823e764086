"""Create the raw schema and publish the registry's state mapping into it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backoffice.registry import Registry

RAW_SCHEMA_SQL = Path(__file__).with_name("raw_schema.sql")


def ensure_raw_schema(con: Any, registry: Registry) -> None:
    """Create raw.* if missing (idempotent) and rewrite raw.state_map from the registry.

    The state map is rewritten on every ingest so that dbt maps provider
    states by configuration; an edited registry takes effect on the next run.
    """
    con.execute(RAW_SCHEMA_SQL.read_text(encoding="utf-8"))
    con.begin()
    try:
        con.execute("delete from raw.state_map")
        rows = registry.state_map()
        if rows:
            con.executemany(
                "insert into raw.state_map (provider, provider_state, canonical_state) "
                "values (?, ?, ?)",
                rows,
            )
        con.commit()
    except Exception:
        con.rollback()
        raise
