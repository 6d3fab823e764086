"""A publication without a full copy: a small DuckDB catalog of views over shared Parquet parts.

Every table of the checked build is published as immutable Parquet files ("parts") under
`published/parts/`, named by a fingerprint of their content, and the publication itself is a
small DuckDB file holding one view per table over its parts (plus the build's own views, as
they are). Readers open that file read-only exactly as they opened a full copy: the views
carry absolute paths, so any process in any directory reads the same thing.

What a night writes is what changed. A table is fingerprinted per *partition*: its load id
(`_load_id` / `load_id`, one per night and feed for the append-only raw tables) or its `as_of`
(the history and audit tables), else the whole table. The fingerprint of a partition is its
row count and the sum and the XOR of DuckDB's 64-bit `hash` of every row: one cheap scan, no
write. A part of the last publication whose partitions all have the same fingerprint tonight
is shared as it is; the partitions no kept part covers are written as one new part. So the
raw tables cost only their new rows, a rebuilt mart whose content did not change costs
nothing, and a mart that changed costs one compressed file. A table that would have more
than `MAX_PARTS` parts is rewritten as one (compaction, about once in `MAX_PARTS` nights).

A large table without partitions that is keyed by an order line (`DELTA_KEYS`: dbt's
incremental models, which delete and recompute the order lines a night touches) is published
in *layers*: its last part, plus one delta per night holding the rows of the keys whose rows
changed and the list of those keys (`<name>.keys.parquet`); the view reads each layer without
the keys a later layer replaces. The changed keys are found by comparing, per key, the
fingerprints of tonight's rows with those of the published rows (read back from the parts),
so a delta holds exactly what changed; a table whose changed rows are more than
`DELTA_MAX_SHARE` of it, or that already has `MAX_DELTAS` deltas, is written whole again.

Parts are written to a temporary name, flushed to disk and renamed, so a part that exists is
whole; a name is its content, so a rerun after a crash finds the parts already written and
writes only the catalog. The catalog carries its own manifest (`publication.parts`,
`publication.manifest`): which parts it reads, each one's partitions and fingerprints, each
table's `CREATE TABLE` and each view's SQL, so that a build can be laid down again from a
publication (`restore`) and parts no kept publication refers to can be removed (`prune`).

Types: Parquet keeps DECIMAL(p,s), TIMESTAMPTZ, DATE, integers, VARCHAR, BOOLEAN and lists of
them exactly; any other type (HUGEINT would come back as DOUBLE, an ENUM as VARCHAR) is written
as its text and cast back by the view.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

PARTS_DIR = "parts"
MANIFEST_SCHEMA = "publication"
FORMAT = 1
PARTITION_COLUMNS = ("_load_id", "load_id", "as_of")
MAX_PARTS = 48
DELTA_KEYS = ("order_line_id",)  # a key whose rows a night replaces together
DELTA_MIN_ROWS = 20_000  # smaller tables are cheaper to write whole than to compare by key
DELTA_MAX_SHARE = 0.25  # more changed rows than this share: the table is written whole
MAX_DELTAS = 6  # deltas over one whole part before it is written whole again (readers pay each)
RETRY_DELTA_EVERY = 7  # a table that changed too much for a delta is compared again a week later
CATALOG_BLOCK = 16 * 1024  # bytes; DuckDB's default block (256 KiB) would make it ~0.8 MB
_ROW = "__publication_row"  # the alias whose name stands for the whole row in hash()
_NULL_KEY = "\x00null"
_EXACT = re.compile(
    r"^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|DOUBLE|FLOAT|DATE|TIMESTAMP|"
    r"TIMESTAMP WITH TIME ZONE|VARCHAR|BLOB|DECIMAL\(\d+,\d+\))(\[\])*$"
)


@dataclass
class Written:
    """What one publication wrote and what it shared with the last one."""

    parts_written: int = 0
    parts_shared: int = 0
    bytes_written: int = 0
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, int]:
        return {
            "parts_written": self.parts_written,
            "parts_shared": self.parts_shared,
            "bytes_written": self.bytes_written,
        }


def parts_dir(published_dir: Path) -> Path:
    return published_dir / PARTS_DIR


def reads_from(con: duckdb.DuckDBPyConnection) -> str | None:
    """The directory whose parts an open catalog reads (None for a full copy)."""
    if not _has_manifest(con):
        return None
    return con.execute(f"select parts_dir from {MANIFEST_SCHEMA}.manifest").fetchone()[0]


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest a catalog carries, or None for a full copy."""
    with duckdb.connect(str(path), read_only=True) as con:
        if not _has_manifest(con):
            return None
        return json.loads(
            con.execute(f"select manifest from {MANIFEST_SCHEMA}.manifest").fetchone()[0]
        )


def publish_parts(
    build: Path, catalog: Path, published_dir: Path, previous: dict[str, Any] | None
) -> Written:
    """Write the build's changed parts and a catalog of views over all its parts at `catalog`.

    `previous` is the manifest of the publication the build started from: its parts whose
    partitions are unchanged are shared. The catalog is written where asked (a private path);
    the caller moves it into place and switches the pointer.
    """
    directory = parts_dir(published_dir)
    directory.mkdir(parents=True, exist_ok=True)
    earlier = {(t["schema"], t["name"]): t for t in (previous or {}).get("tables", [])}
    written = Written()
    tables: list[dict[str, Any]] = []
    with duckdb.connect(str(build), read_only=True) as con:
        for schema, name, create_sql in con.execute(
            "select schema_name, table_name, sql from duckdb_tables() "
            "where not internal and not temporary order by schema_name, table_name"
        ).fetchall():
            table = _describe(con, schema, name, create_sql)
            table["parts"] = _table_parts(
                con, table, earlier.get((schema, name)), directory, written
            )
            tables.append(table)
        views = [
            {"schema": s, "name": n, "sql": sql}
            for s, n, sql in con.execute(
                "select schema_name, view_name, sql from duckdb_views() "
                "where not internal and not temporary order by schema_name, view_name"
            ).fetchall()
        ]
    _fsync_dir(directory)
    manifest = {"format": FORMAT, "parts_dir": str(directory), "tables": tables, "views": views}
    write_catalog(manifest, catalog)
    written.bytes_written += catalog.stat().st_size
    return written


def write_catalog(manifest: dict[str, Any], catalog: Path) -> None:
    """A DuckDB file of views over the manifest's parts, carrying the manifest itself."""
    for stale in (catalog, catalog.with_name(catalog.name + ".wal")):
        stale.unlink(missing_ok=True)
    directory = Path(manifest["parts_dir"])
    with duckdb.connect() as con:
        # Small blocks: the catalog holds views and a manifest, a few hundred KiB at most.
        con.execute(f"attach {_literal(str(catalog))} as catalog (block_size {CATALOG_BLOCK})")
        con.execute("use catalog")
        _create_schemas(con, manifest)
        for table in manifest["tables"]:
            con.execute(f"create view {_qualified(table)} as {_select_parts(table, directory)}")
        _create_views(con, manifest["views"])
        con.execute(f"create schema {MANIFEST_SCHEMA}")
        con.execute(
            f"create table {MANIFEST_SCHEMA}.manifest (manifest varchar, parts_dir varchar)"
        )
        con.execute(
            f"insert into {MANIFEST_SCHEMA}.manifest values (?, ?)",
            [json.dumps(manifest), str(directory)],
        )
        con.execute(
            f"create table {MANIFEST_SCHEMA}.parts (table_schema varchar, table_name varchar, "
            "part_file varchar, row_count bigint, size_bytes bigint, partitions integer)"
        )
        con.executemany(
            f"insert into {MANIFEST_SCHEMA}.parts values (?, ?, ?, ?, ?, ?)",
            [
                (
                    t["schema"],
                    t["name"],
                    str(directory / p["file"]),
                    p["rows"],
                    p["bytes"],
                    len(p["keys"]),
                )
                for t in manifest["tables"]
                for p in t["parts"]
            ]
            + [
                (t["schema"], t["name"], str(directory / p["excludes"]), None, None, 0)
                for t in manifest["tables"]
                for p in t["parts"]
                if p.get("excludes")
            ],
        )
        con.execute(
            f"comment on table {MANIFEST_SCHEMA}.parts is "
            "'The Parquet files this publication reads: one row per table and part, and per "
            "delta its list of the keys it replaces (no rows of the table: row_count null).'"
        )
        con.execute("checkpoint catalog")
        con.execute("use memory")
        con.execute("detach catalog")


def restore(manifest: dict[str, Any], target: Path) -> None:
    """Lay down a writable build equal to a catalog's publication (after a failed night).

    Tables are created with the build's own `CREATE TABLE` (types, keys, NOT NULLs) and filled
    from their parts; the views are created again from their SQL. The whole warehouse is
    written, but only on the night after one that failed.
    """
    tmp = target.with_name(target.name + ".restore")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    directory = Path(manifest["parts_dir"])
    with duckdb.connect(str(tmp)) as con:
        _create_schemas(con, manifest)
        for table in manifest["tables"]:
            con.execute(table["create_sql"])
            con.execute(f"insert into {_qualified(table)} {_select_parts(table, directory)}")
        _create_views(con, manifest["views"])
        con.execute("checkpoint")
    os.replace(tmp, target)


def referenced(catalogs: Iterable[Path]) -> set[str]:
    """The part files the given catalogs read (full copies refer to none)."""
    names: set[str] = set()
    for catalog in catalogs:
        manifest = read_manifest(catalog)
        for table in (manifest or {}).get("tables", []):
            names.update(part_files(table))
    return names


def part_files(table: dict[str, Any]) -> list[str]:
    """Every file a table's view reads: its parts and its deltas' lists of replaced keys."""
    files = [p["file"] for p in table["parts"]]
    return files + [p["excludes"] for p in table["parts"] if p.get("excludes")]


def prune(published_dir: Path, kept: Iterable[Path]) -> list[Path]:
    """Remove the parts (and half-written parts) no kept publication reads; return them."""
    directory = parts_dir(published_dir)
    if not directory.exists():
        return []
    keep = referenced(kept)
    removed = [p for p in directory.iterdir() if p.is_file() and p.name not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


# --- how a table becomes parts ------------------------------------------------------------


def _describe(con: duckdb.DuckDBPyConnection, schema: str, name: str, sql: str) -> dict[str, Any]:
    columns = [
        {"name": column, "type": data_type, "as_text": not _EXACT.match(data_type)}
        for column, data_type in con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = ? and table_name = ? order by column_index",
            [schema, name],
        ).fetchall()
    ]
    names = {c["name"] for c in columns}
    partition = next((c for c in PARTITION_COLUMNS if c in names), None)
    delta_key = None if partition else next((c for c in DELTA_KEYS if c in names), None)
    return {
        "schema": schema,
        "name": name,
        "create_sql": sql,
        "columns": columns,
        "partition": partition,
        "delta_key": delta_key,
    }


def _table_parts(
    con: duckdb.DuckDBPyConnection,
    table: dict[str, Any],
    earlier: dict[str, Any] | None,
    directory: Path,
    written: Written,
) -> list[dict[str, Any]]:
    """The table's parts tonight: unchanged parts of the last publication, plus one new part."""
    current = _fingerprints(con, table)
    if table["delta_key"] is not None and current:
        table["fingerprint"] = current[""]
        layered = _layered_parts(con, table, earlier, directory, written)
        if layered is not None:
            return layered
    shared: list[dict[str, Any]] = []
    if earlier is not None and earlier["columns"] == table["columns"]:
        shared = [
            part
            for part in earlier["parts"]
            if part["keys"]
            and all(current.get(key) == value for key, value in part["keys"].items())
            and (directory / part["file"]).exists()
        ]
    covered = {key for part in shared for key in part["keys"]}
    new_keys = sorted(set(current) - covered)
    if len(shared) + bool(new_keys) > MAX_PARTS:
        shared, new_keys = [], sorted(current)
    parts = list(shared)
    if new_keys or not parts:
        parts.append(_write_part(con, table, {k: current[k] for k in new_keys}, directory, written))
    written.parts_shared += len(shared)
    return parts


def _fingerprints(con: duckdb.DuckDBPyConnection, table: dict[str, Any]) -> dict[str, list]:
    """Per partition: rows, and the sum and XOR of the rows' hashes (one scan, no write)."""
    rows = con.execute(
        f"select {_key_expression(table)} as k, count(*), "
        f"cast(sum(hash({_ROW})) as varchar), cast(bit_xor(hash({_ROW})) as varchar) "
        f"from {_qualified(table)} as {_ROW} group by all"
    ).fetchall()
    return {key: [count, total, xor] for key, count, total, xor in rows}


def _write_part(
    con: duckdb.DuckDBPyConnection,
    table: dict[str, Any],
    keys: dict[str, list],
    directory: Path,
    written: Written,
) -> dict[str, Any]:
    signature = json.dumps([table["columns"], sorted(keys.items())], sort_keys=True)
    name = hashlib.sha256(signature.encode("utf-8")).hexdigest()[:40] + ".parquet"
    path = directory / name
    rows = sum(value[0] for value in keys.values())
    if not path.exists():
        tmp = path.with_name(name + ".tmp")
        select = _stored_columns(table)
        where = ""
        if table["partition"] is not None:
            listed = ", ".join(_literal(key) for key in keys) or "null"
            where = f" where {_key_expression(table)} in ({listed})"
        con.execute(
            f"copy (select {select} from {_qualified(table)} as {_ROW}{where}) "
            f"to {_literal(str(tmp))} (format parquet, compression zstd)"
        )
        _fsync(tmp)
        os.replace(tmp, path)
        written.parts_written += 1
        written.bytes_written += path.stat().st_size
        written.files.append(name)
    return {"file": name, "rows": rows, "bytes": path.stat().st_size, "keys": keys}


def _layered_parts(
    con: duckdb.DuckDBPyConnection,
    table: dict[str, Any],
    earlier: dict[str, Any] | None,
    directory: Path,
    written: Written,
) -> list[dict[str, Any]] | None:
    """The last publication's layers, shared or with tonight's delta on top; None: write whole.

    Whole when there is nothing to build on (no earlier table, other columns, partitions, a
    missing file), when the table is small, when it has `MAX_DELTAS` deltas already, or when
    more than `DELTA_MAX_SHARE` of its rows changed; a table refused for that is not compared
    again until `RETRY_DELTA_EVERY` nights later (a mart aged by the as-of date changes whole
    every night: comparing it would cost as much as writing it).
    """
    if (
        earlier is None
        or earlier["columns"] != table["columns"]
        or earlier.get("partition") is not None
        or not all((directory / name).exists() for name in part_files(earlier))
    ):
        return None
    now = table["fingerprint"]
    before = earlier.get("fingerprint")
    if before is None and len(earlier["parts"]) == 1:
        before = earlier["parts"][0]["keys"].get("")
    if before == now:
        written.parts_shared += len(earlier["parts"])
        return list(earlier["parts"])
    if now[0] < DELTA_MIN_ROWS or len(earlier["parts"]) > MAX_DELTAS:
        return None
    refused = earlier.get("delta_refused", 0)
    if refused % RETRY_DELTA_EVERY:  # it changed too much lately: the comparison would be wasted
        table["delta_refused"] = refused + 1
        return None
    key = _coalesced(table["delta_key"])
    signature = json.dumps(
        [table["columns"], part_files(earlier), table["delta_key"], now], sort_keys=True
    )
    stem = hashlib.sha256(signature.encode("utf-8")).hexdigest()[:40]
    keys_path, rows_path = directory / f"{stem}.keys.parquet", directory / f"{stem}.parquet"

    def replaced(keys: Path) -> str:
        return (
            f"from {_qualified(table)} as {_ROW} "
            f"where {key} in (select k from read_parquet({_literal(str(keys))}))"
        )

    if keys_path.exists():  # a rerun after a crash: the keys were found and kept
        rows = con.execute(f"select count(*) {replaced(keys_path)}").fetchone()[0]
    else:
        tmp = keys_path.with_name(keys_path.name + ".tmp")
        con.execute(
            f"copy ({_changed_keys(table, earlier, directory)}) to {_literal(str(tmp))} "
            "(format parquet, compression zstd)"
        )
        rows = con.execute(f"select count(*) {replaced(tmp)}").fetchone()[0]
        if rows > DELTA_MAX_SHARE * now[0]:
            tmp.unlink()
            table["delta_refused"] = refused + 1
            return None
        _fsync(tmp)
        os.replace(tmp, keys_path)
        written.bytes_written += keys_path.stat().st_size
        written.files.append(keys_path.name)
    if not rows_path.exists():
        tmp = rows_path.with_name(rows_path.name + ".tmp")
        con.execute(
            f"copy (select {_stored_columns(table)} {replaced(keys_path)}) to {_literal(str(tmp))} "
            "(format parquet, compression zstd)"
        )
        _fsync(tmp)
        os.replace(tmp, rows_path)
        written.parts_written += 1
        written.bytes_written += rows_path.stat().st_size
        written.files.append(rows_path.name)
    delta = {
        "file": rows_path.name,
        "rows": rows,
        "bytes": rows_path.stat().st_size,
        "keys": {},
        "excludes": keys_path.name,
    }
    written.parts_shared += len(earlier["parts"])
    return [*earlier["parts"], delta]


def _changed_keys(table: dict[str, Any], earlier: dict[str, Any], directory: Path) -> str:
    """The keys whose rows tonight differ from the published ones (count, sum and XOR of hashes).

    The published rows are read back from the parts with their own types, so an unchanged row
    hashes as it did; a key only one side has is changed too.
    """
    key = _coalesced(table["delta_key"])

    def per_key(relation: str) -> str:
        return (
            f"select {key} as k, count(*) as n, sum(hash({_ROW})) as s, "
            f"bit_xor(hash({_ROW})) as x from {relation} as {_ROW} group by all"
        )

    return (
        f"with tonight as ({per_key(_qualified(table))}), "
        f"published as ({per_key('(' + _select_parts(earlier, directory) + ')')}) "
        "select k from tonight full join published using (k) "
        "where tonight.n is distinct from published.n or tonight.s is distinct from published.s "
        "or tonight.x is distinct from published.x"
    )


def _stored_columns(table: dict[str, Any]) -> str:
    """The columns as a part stores them: exact types as they are, the others as text."""
    return ", ".join(
        f"cast({_quote(c['name'])} as varchar) as {_quote(c['name'])}"
        if c["as_text"]
        else _quote(c["name"])
        for c in table["columns"]
    )


def _select_parts(table: dict[str, Any], directory: Path) -> str:
    columns = ", ".join(
        f"cast({_quote(c['name'])} as {c['type']}) as {_quote(c['name'])}"
        if c["as_text"]
        else _quote(c["name"])
        for c in table["columns"]
    )
    return f"select {columns} from {_layers(table, directory)}"


def _layers(table: dict[str, Any], directory: Path) -> str:
    """The stored rows: the parts, each without the keys the deltas after it replace."""

    def files(names: list[str]) -> str:
        return "[" + ", ".join(_literal(str(directory / name)) for name in names) + "]"

    parts = table["parts"]
    if not any(p.get("excludes") for p in parts):
        return f"read_parquet({files([p['file'] for p in parts])})"
    key = _coalesced(table["delta_key"])
    layers = []
    for i, part in enumerate(parts):
        later = [p["excludes"] for p in parts[i + 1 :]]
        where = f" where {key} not in (select k from read_parquet({files(later)}))" if later else ""
        layers.append(f"select * from read_parquet({files([part['file']])}){where}")
    return "(" + " union all ".join(layers) + ")"


def _key_expression(table: dict[str, Any]) -> str:
    if table["partition"] is None:
        return "''"
    return _coalesced(table["partition"])


def _coalesced(column: str) -> str:
    """A column as a key that is never null (NOT IN and joins must see null as a value)."""
    return f"coalesce(cast({_quote(column)} as varchar), {_literal(_NULL_KEY)})"


# --- small helpers ------------------------------------------------------------------------


def _has_manifest(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [MANIFEST_SCHEMA, "manifest"],
        ).fetchone()[0]
    )


def _create_schemas(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any]) -> None:
    schemas = {t["schema"] for t in manifest["tables"]} | {v["schema"] for v in manifest["views"]}
    for schema in sorted(schemas):
        con.execute(f"create schema if not exists {_quote(schema)}")


def _create_views(con: duckdb.DuckDBPyConnection, views: list[dict[str, Any]]) -> None:
    """Create views whatever their order: a view over another waits for the next pass."""
    pending = list(views)
    while pending:
        failed: list[dict[str, Any]] = []
        problem: Exception | None = None
        for view in pending:
            try:
                con.execute(view["sql"])
            except duckdb.CatalogException as error:
                failed.append(view)
                problem = error
        if len(failed) == len(pending):
            raise RuntimeError(f"views that cannot be created: {problem}")
        pending = failed


def _qualified(table: dict[str, Any]) -> str:
    return f"{_quote(table['schema'])}.{_quote(table['name'])}"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
