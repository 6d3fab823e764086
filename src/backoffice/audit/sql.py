"""Read-only SQL for auditors: query the published warehouse and its history, change nothing.

Two locks, either of which suffices: the statement must be a query (DuckDB's own parser
classifies every statement, and only SELECT-type statements pass: no INSERT, UPDATE, DELETE,
CREATE, ATTACH, COPY, SET, PRAGMA, INSTALL, LOAD, EXPORT...), and it runs on a read-only
connection to the current publication (an immutable file besides). File-reading table functions
(`read_csv`, `read_parquet`, `glob`...) are refused as well: the page answers questions about
the warehouse, not about the server's disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb

from backoffice import publish
from backoffice.errors import BackofficeError
from backoffice.settings import Settings

MAX_LIMIT = 10_000
FILE_FUNCTIONS = re.compile(
    r"\b(read_\w+|glob|sniff_csv|parquet_\w+|iceberg_\w+|delta_scan|from_json_file|"
    r"duckdb_secrets|getenv|query_table|query)\s*\(",
    re.IGNORECASE,
)


class RefusedStatementError(BackofficeError):
    """The SQL would write, read outside the warehouse, or is not one query."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


def check_readonly(sql: str) -> str:
    """The one query `sql` holds, or RefusedStatementError saying why it is refused."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as problem:
        raise RefusedStatementError(f"the SQL does not parse: {problem}") from None
    if len(statements) != 1:
        raise RefusedStatementError(
            f"one query at a time, please: this holds {len(statements)} statements"
        )
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise RefusedStatementError(
            f"only queries (SELECT, WITH ..., FROM ...) run here; this is a "
            f"{statement.type.name} statement, which the auditors' SQL never runs"
        )
    if FILE_FUNCTIONS.search(statement.query):
        raise RefusedStatementError(
            "file and environment functions (read_csv, glob, getenv...) are not allowed: "
            "query the warehouse's tables"
        )
    return statement.query


def run_readonly(settings: Settings, sql: str, limit: int = 1000) -> QueryResult:
    """Run one query on the current publication, read-only; at most `limit` rows back."""
    query = check_readonly(sql)
    limit = max(1, min(int(limit), MAX_LIMIT))
    with publish.connect_published(settings) as con:
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        try:
            cursor = con.execute(query)
        except duckdb.Error as problem:
            raise BackofficeError(f"the query failed: {problem}") from None
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(limit + 1)
    return QueryResult(columns=columns, rows=rows[:limit], truncated=len(rows) > limit)
