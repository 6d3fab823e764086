"""Bulk inserts into raw tables through Arrow batches.

Rows are buffered column by column and inserted a batch at a time with one
INSERT ... SELECT over an Arrow table, never row by row: that is what keeps a
million-row file to seconds. Values that are the same for every row of a file
(lineage) are bound once as parameters instead of being repeated per row.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

import pyarrow as pa

from backoffice.warehouse.tables import Column, Table

BATCH_ROWS = 50_000
_names = itertools.count()


def arrow_type(column: Column) -> pa.DataType:
    """How a column travels to DuckDB. Decimals travel as exact text and are cast
    by DuckDB: Arrow's conversion of Python Decimals is ~100x slower."""
    return {
        "int": pa.int64(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }.get(column.type, pa.string())


def _arrow_array(values: tuple[Any, ...], column: Column) -> pa.Array:
    if column.type == "decimal":
        values = tuple(None if v is None else format(v, "f") for v in values)
    elif column.type == "timestamp":
        # Arrow asks a zoneinfo zone for every value's offset (~130 us each); in UTC it
        # does not: converting first is ~80x faster for Europe/Rome timestamps.
        values = tuple(
            v if v is None or v.tzinfo is None or v.tzinfo is UTC else v.astimezone(UTC)
            for v in values
        )
    return pa.array(values, type=arrow_type(column))


def _select(column: Column) -> str:
    if column.type == "decimal":
        return f'cast("{column.name}" as {column.sql_type})'
    return f'"{column.name}"'


class BatchWriter:
    """Buffers rows for one table and one file; `flush` writes what is buffered.

    `row_columns` vary per row; `constants` (name -> value) are the same for
    every row. `extra_columns` are per-row values the caller passes beside the
    mapping (`add(values, extra)`), e.g. the lineage of the file a row came
    from when one writer serves many files. The caller owns the transaction.
    `flushes` counts the inserts done, so a caller can tell whether rows it
    buffered since `pending` was read have already reached the table.
    """

    def __init__(
        self,
        con: Any,
        table: str,
        row_columns: tuple[Column, ...],
        constants: Mapping[str, Any],
        batch_rows: int | None = None,
        extra_columns: tuple[Column, ...] = (),
    ) -> None:
        self.con = con
        self.table = table
        self.columns = (*row_columns, *extra_columns)
        self.schema = pa.schema([(c.name, arrow_type(c)) for c in self.columns])
        self.names = [c.name for c in row_columns]
        self.all_names = [c.name for c in self.columns]
        self.constants = dict(constants)
        self.batch_rows = batch_rows or BATCH_ROWS
        self.pick = _picker(self.names)
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.flushes = 0

    @property
    def pending(self) -> int:
        return len(self.rows)

    def add(self, values: Mapping[str, Any], extra: tuple[Any, ...] = ()) -> None:
        try:
            row = self.pick(values)
        except KeyError:  # a parser left out an optional field
            row = tuple(values.get(name) for name in self.names)
        self.rows.append(row + extra if extra else row)
        if len(self.rows) >= self.batch_rows:
            self.flush()

    def discard(self, keep: int) -> None:
        """Drop the buffered rows after the first `keep` (a file that failed half way)."""
        del self.rows[keep:]

    def flush(self) -> None:
        if not self.rows:
            return
        columns = list(zip(*self.rows, strict=True))
        batch = pa.table(
            [_arrow_array(v, c) for v, c in zip(columns, self.columns, strict=True)],
            schema=self.schema,
        )
        view = f"_batch_{next(_names)}"
        targets = [*self.all_names, *self.constants]
        selects = [_select(c) for c in self.columns] + ["?" for _ in self.constants]
        sql = (
            f"insert into {self.table} ({', '.join(targets)}) "
            f"select {', '.join(selects)} from {view}"
        )
        self.con.register(view, batch)
        try:
            self.con.execute(sql, list(self.constants.values()))
        finally:
            self.con.unregister(view)
        self.written += len(self.rows)
        self.flushes += 1
        self.rows = []


def _picker(names: list[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A C-speed tuple of the named values (itemgetter returns a bare value for one name)."""
    if len(names) == 1:
        name = names[0]
        return lambda values: (values[name],)
    return operator.itemgetter(*names)


def table_writer(con: Any, table: Table, lineage: Mapping[str, Any]) -> BatchWriter:
    """A writer for a raw data table: its columns plus `_source_row` per row."""
    columns = (*table.columns, Column("_source_row", "text"))
    return BatchWriter(con, f"raw.{table.name}", columns, lineage)


QUARANTINE_ROW_COLUMNS = (
    Column("source_row", "text"),
    Column("reason", "text"),
    Column("raw_record", "text"),
)


def quarantine_writer(con: Any, constants: Mapping[str, Any]) -> BatchWriter:
    """A writer for raw.quarantine; constants give source, feed, file, sha256, load id, time."""
    return BatchWriter(con, "raw.quarantine", QUARANTINE_ROW_COLUMNS, constants)


# --- writers shared by the many files of one feed load ----------------------------------

FILE_LINEAGE_COLUMNS = (
    Column("_source_file", "text"),
    Column("_file_sha256", "text"),
    Column("_delivery_date", "date"),
)


def feed_table_writer(con: Any, table: Table, constants: Mapping[str, Any]) -> BatchWriter:
    """A writer for a raw data table serving many files: `add(values, file_lineage)`.

    Each row passes `(source_row, source_file, file_sha256, delivery_date)` as its
    extra values; `constants` give `_load_id` and `_loaded_at`. One writer per feed
    load instead of one per file is what keeps thousands of small files to a few
    inserts.
    """
    extra = (Column("_source_row", "text"), *FILE_LINEAGE_COLUMNS)
    return BatchWriter(con, f"raw.{table.name}", table.columns, constants, extra_columns=extra)


def feed_quarantine_writer(con: Any, constants: Mapping[str, Any]) -> BatchWriter:
    """raw.quarantine for many files: `add(row, (source_file, file_sha256))`; constants give
    source, feed, load id and time."""
    extra = (Column("source_file", "text"), Column("file_sha256", "text"))
    return BatchWriter(
        con, "raw.quarantine", QUARANTINE_ROW_COLUMNS, constants, extra_columns=extra
    )


LANDED_FILES_COLUMNS = (
    Column("file_path", "text"),
    Column("source", "text"),
    Column("feed", "text"),
    Column("delivery_date", "date"),
    Column("size_bytes", "int"),
    Column("file_sha256", "text"),
    Column("load_id", "text"),
    Column("status", "text"),
    Column("duplicate_of", "text"),
    Column("rows_read", "int"),
    Column("rows_loaded", "int"),
    Column("rows_quarantined", "int"),
    Column("error", "text"),
    Column("loaded_at", "timestamp"),
)


def landed_files_writer(con: Any) -> BatchWriter:
    """raw.landed_files, a batch of manifest rows per insert instead of one insert per file."""
    return BatchWriter(con, "raw.landed_files", LANDED_FILES_COLUMNS, {})


class ArrowRowsWriter:
    """Rows already typed as Arrow columns (`parsers.records.Rows`) for one raw table,
    inserted a batch at a time; the writer of `BatchWriter`'s shape ingest takes back from.

    Each `add` brings one file's rows and its lineage (source file, sha256, delivery date),
    appended here as constant columns; `constants` give `_load_id` and `_loaded_at`.
    `pending` counts the rows buffered and `flushes` the inserts done, as in BatchWriter,
    so a file that fails half way is taken back the same way.
    """

    def __init__(
        self, con: Any, table: Table, constants: Mapping[str, Any], batch_rows: int | None = None
    ) -> None:
        self.con = con
        self.table = f"raw.{table.name}"
        self.names = [*table.names, "_source_row", *(c.name for c in FILE_LINEAGE_COLUMNS)]
        self.lineage_types = [arrow_type(c) for c in FILE_LINEAGE_COLUMNS]
        self.constants = dict(constants)
        self.batch_rows = batch_rows or BATCH_ROWS
        self.batches: list[pa.Table] = []
        self.pending = 0
        self.written = 0
        self.flushes = 0

    def add(self, rows: pa.Table, lineage: tuple[Any, ...]) -> None:
        for (name, kind), value in zip(
            zip((c.name for c in FILE_LINEAGE_COLUMNS), self.lineage_types, strict=True),
            lineage,
            strict=True,
        ):
            rows = rows.append_column(name, pa.repeat(pa.scalar(value, kind), rows.num_rows))
        self.batches.append(rows.select(self.names))
        self.pending += rows.num_rows
        if self.pending >= self.batch_rows:
            self.flush()

    def discard(self, keep: int) -> None:
        """Drop the buffered rows after the first `keep` (whole added batches)."""
        kept, total = [], 0
        for rows in self.batches:
            if total + rows.num_rows > keep:
                break
            kept.append(rows)
            total += rows.num_rows
        self.batches, self.pending = kept, total

    def flush(self) -> None:
        if not self.batches:
            return
        rows = pa.concat_tables(self.batches, promote_options="permissive")
        view = f"_rows_{next(_names)}"
        targets = [*self.names, *self.constants]
        selects = [f'"{n}"' for n in self.names] + ["?" for _ in self.constants]
        self.con.register(view, rows)
        try:
            self.con.execute(
                f"insert into {self.table} ({', '.join(targets)}) "
                f"select {', '.join(selects)} from {view}",
                list(self.constants.values()),
            )
        finally:
            self.con.unregister(view)
        self.written += rows.num_rows
        self.flushes += 1
        self.batches, self.pending = [], 0
