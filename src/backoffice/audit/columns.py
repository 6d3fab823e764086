"""Column lineage of a dbt model, through its CTEs, from its compiled SQL.

OpenLineage's SQL parser gives a column's inputs one `select` deep, and says nothing for a
`select *`: in dbt's house style (import CTEs `select * from ref`, steps, `select * from
final`) that stops at CTE names. This module cuts the compiled SQL into its CTEs, parses each
with the same parser, treats `select * from x` as passing every column of x through, and
follows each output column from CTE to CTE down to real tables: the `columnLineage` facet an
auditor needs (exceptions.amount_eur <- ... <- raw.invoice_lines.net_amount).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_IDENT = re.compile(r"\s*(\"[^\"]+\"|[A-Za-z_][\w$]*)\s+as\s*(?:materialized\s*)?\(", re.I)
_STAR = re.compile(r"select\s+(?:distinct\s+)?(?:([A-Za-z_]\w*)\.)?\*", re.I)


@dataclass
class _Step:
    columns: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    star_from: list[str] = field(default_factory=list)


def _skip_quoted(sql: str, i: int) -> int:
    quote = sql[i]
    j = i + 1
    while j < len(sql):
        if sql[j] == quote:
            if j + 1 < len(sql) and sql[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return j


def _matching(sql: str, start: int) -> int:
    """Index just past the parenthesis closing the one at `start`."""
    depth = 0
    i = start
    while i < len(sql):
        ch = sql[i]
        if ch in "'\"":
            i = _skip_quoted(sql, i)
            continue
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        if sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = len(sql) if end < 0 else end + 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(sql)


def split_ctes(sql: str) -> tuple[list[tuple[str, str]], str]:
    """[(cte name, body)], final select; a query without a leading WITH has no CTEs."""
    text = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    text = re.sub(r"--[^\n]*", " ", text).strip()
    match = re.match(r"with\s+(?:recursive\s+)?", text, re.I)
    if not match:
        return [], text
    pos = match.end()
    ctes: list[tuple[str, str]] = []
    while True:
        ident = _IDENT.match(text, pos)
        if not ident:
            break
        open_at = ident.end() - 1
        close = _matching(text, open_at)
        ctes.append((ident.group(1).strip('"').lower(), text[open_at + 1 : close - 1]))
        rest = re.match(r"\s*,", text[close:])
        if not rest:
            pos = close
            break
        pos = close + rest.end()
    return ctes, text[pos:]


def _relation(meta) -> str:
    parts = [p for p in (meta.database, meta.schema, meta.name) if p]
    return ".".join(p.strip('"') for p in parts).lower()


def _parse_step(body: str, dialect: str) -> _Step:
    from openlineage_sql import parse

    step = _Step()
    try:
        parsed = parse([body], dialect=dialect)
    except Exception:  # a statement the parser cannot read: no lineage rather than none at all
        parsed = None
    if parsed is not None:
        for item in parsed.column_lineage:
            step.columns[item.descendant.name.lower()] = {
                (_relation(col.origin), col.name.lower()) for col in item.lineage if col.origin
            }
        tables = [_relation(t) for t in parsed.in_tables]
    else:
        tables = []
    for star in _STAR.finditer(body):
        qualifier = star.group(1)
        if qualifier:
            step.star_from.append(qualifier.lower())
        else:
            step.star_from.extend(tables)
    # A qualified star names an alias: map it to the relation it stands for when we can.
    aliases = dict(
        (m.group(2).lower(), m.group(1).strip('"').lower())
        for m in re.finditer(r"(?:from|join)\s+([\w.\"]+)\s+(?:as\s+)?([A-Za-z_]\w*)", body, re.I)
    )
    step.star_from = [aliases.get(s, s) for s in step.star_from]
    return step


def model_column_lineage(
    compiled_sql: str, columns: list[str], dialect: str = "duckdb"
) -> dict[str, set[tuple[str, str]]]:
    """For each output column, the (relation, column) pairs of real tables it derives from."""
    ctes, final = split_ctes(compiled_sql)
    steps = {name: _parse_step(body, dialect) for name, body in ctes}
    final_step = _parse_step(final, dialect)
    cte_names = set(steps)

    def resolve(step: _Step, column: str, seen: frozenset[str]) -> Iterator[tuple[str, str]]:
        sources = step.columns.get(column)
        if sources is None:
            sources = {(relation, column) for relation in step.star_from}
        for relation, source_column in sources:
            name = relation.split(".")[-1]
            if name in cte_names and relation == name:
                if name in seen:
                    continue
                yield from resolve(steps[name], source_column, seen | {name})
            else:
                yield relation, source_column

    return {
        column.lower(): set(resolve(final_step, column.lower(), frozenset())) for column in columns
    }
