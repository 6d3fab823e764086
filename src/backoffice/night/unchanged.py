"""What a night may leave as it is because nothing it is made from changed since it was made.

Two things a night used to redo every time although they only change when the project does
(docs/airflow-dbt.md measured both on a 5,000-line night):

- the seeds (`dbt.seeds`): two small CSV files that change with a commit, not with a delivery;
  reloading them cost a whole dbt invocation (the manifest's load, the selection's graph, the
  manifest written back), about 2 s of a night;
- dbt's docs for auditors (`audit.docs.generate_dbt_docs`): a page made of the project's
  descriptions and the warehouse's tables and columns, neither of which a night's data moves.

Each is remembered as a *stamp* (a JSON file in the data directory) of what it was made from:
hashes of the files it depends on and of what the warehouse holds. A night skips the work only
when the stamp equals what it would be now; anything else (a changed file, another dbt version,
a build restored from an older publication, a missing output, an unreadable stamp) does the
work again and writes a new stamp. A stamp never decides alone: it is always compared with the
warehouse as it is.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb

from backoffice.settings import Settings

log = logging.getLogger(__name__)


def files_hash(paths: Iterable[Path], *, root: Path) -> str:
    """One hash of these files' names (relative to `root`) and contents, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def tool_versions() -> dict[str, str]:
    """dbt's and the adapter's versions: a new dbt may load a seed or render docs otherwise."""
    versions = {}
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:  # not installed: recorded as such, still compared
            versions[package] = "none"
    return versions


def tables_hash(con: duckdb.DuckDBPyConnection, relations: Iterable[str]) -> str | None:
    """One hash of these small tables' columns and rows, or None when one is missing.

    For the seeds (tens of rows): every row as text, sorted, so a build restored from an
    older publication with other seed rows never passes for the loaded one.
    """
    digest = hashlib.sha256()
    for relation in sorted(relations):
        schema, _, name = relation.rpartition(".")
        columns = con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = ? and table_name = ? order by column_index",
            [schema, name],
        ).fetchall()
        if not columns:
            return None
        rows = con.execute(
            f"select cast(t as varchar) as r from {_quoted(schema)}.{_quoted(name)} t order by r"
        ).fetchall()
        digest.update(json.dumps([relation, columns, [r[0] for r in rows]]).encode())
    return digest.hexdigest()


def schema_hash(con: duckdb.DuckDBPyConnection) -> str:
    """One hash of the warehouse's schema as dbt's catalog reads it: every table and view,
    its comment, and every column with its type, in order. Data is not part of it."""
    tables = con.execute(
        "select schema_name, table_name, 'table', comment from duckdb_tables() "
        "where not internal union all "
        "select schema_name, view_name, 'view', comment from duckdb_views() "
        "where not internal order by all"
    ).fetchall()
    columns = con.execute(
        "select schema_name, table_name, column_index, column_name, data_type, comment "
        "from duckdb_columns() where not internal order by all"
    ).fetchall()
    return hashlib.sha256(json.dumps([tables, columns], default=str).encode()).hexdigest()


def read_stamp(path: Path) -> dict[str, Any] | None:
    """A stamp as written, or None when there is none or it cannot be read (then: redo)."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def write_stamp(path: Path, stamp: dict[str, Any]) -> None:
    """Write a stamp whole (a crash leaves the old one or none, never half of one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(stamp, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# --- the seeds -------------------------------------------------------------------------------

SEED_INPUTS = ("seeds",)  # the project's folders a seed load is made from, beside dbt_project.yml


def seeds_stamp_path(settings: Settings) -> Path:
    """Beside dbt's target folder: the stamp of the last seed load into this data dir's build."""
    from backoffice.dbt_runner import target_dir

    return target_dir(settings).parent / "seeds.json"


def seeds_source_hash(project: Path) -> str:
    """The seed files, their YAML and the project file (schemas, column types), hashed."""
    seeds = [p for top in SEED_INPUTS for p in (project / top).rglob("*") if p.is_file()]
    files = [*seeds, project / "dbt_project.yml"]
    return files_hash(files, root=project)


def seeds_unchanged(settings: Settings) -> dict[str, Any] | None:
    """The stamp of the last seed load when the build still holds exactly what it loaded.

    None (reload) unless the seed files, the project file and dbt are those of the stamp and
    every seed table in the build has the stamp's columns and rows.
    """
    stamp = read_stamp(seeds_stamp_path(settings))
    warehouse = settings.build_warehouse
    if not stamp or not stamp.get("relations") or not warehouse.is_file():
        return None
    source = seeds_source_hash(settings.dbt_project_dir)
    if stamp.get("source") != source or stamp.get("tools") != tool_versions():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        held = tables_hash(con, stamp["relations"])
    return stamp if held is not None and held == stamp.get("tables") else None


def remember_seeds(settings: Settings, relations: list[str], loaded_at: str) -> None:
    """Stamp the seed load that just succeeded: what it was made from and what it wrote.

    A stamp that cannot be written is removed instead (the next night reloads the seeds):
    the stamp saves time, it must never fail the night that loaded them.
    """
    path = seeds_stamp_path(settings)
    try:
        with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
            held = tables_hash(con, relations)
        write_stamp(
            path,
            {
                "source": seeds_source_hash(settings.dbt_project_dir),
                "tools": tool_versions(),
                "relations": sorted(relations),
                "tables": held,
                "loaded_at": loaded_at,
            },
        )
    except (OSError, duckdb.Error) as failure:
        log.warning("seeds stamp not written (%s): the next night reloads the seeds", failure)
        path.unlink(missing_ok=True)
