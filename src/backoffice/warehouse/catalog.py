"""What a warehouse holds: asked the same way by every reader.

Readers meet warehouses of every age (a publication from before a mart existed, a build
before its first dbt run) and publications of both kinds (tables in a full copy, views over
Parquet parts), so "is it there?" is one question, answered here.
"""

from __future__ import annotations

from typing import Any


def has_table(con: Any, schema: str, table: str) -> bool:
    """Whether `schema.table` exists, as a table or a view."""
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )
