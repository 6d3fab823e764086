"""Bulk inserts into raw tables through Arrow batches.

Rows are buffered column by column and inserted a batch at a time with one
INSERT ... SELECT over an Arrow table, never row by row: that is what keeps a
million-row file to seconds. Values that are the same for every row of a file
(lineage) are bound once as parameters instead of being repeated per row.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from backoffice.warehouse.tables import Column, Table

BATCH_ROWS = 50_000
_names = itertools.count()


def arrow_type(column: Column) -> pa.DataType:
    return {
        "text": pa.string(),
        "int": pa.int64(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }.get(column.type) or pa.decimal128(column.precision, column.scale)


class BatchWriter:
    """Buffers rows for one table and one file; `flush` writes what is buffered.

    `row_columns` vary per row; `constants` (name -> value) are the same for
    every row. The caller owns the transaction.
    """

    def __init__(
        self,
        con: Any,
        table: str,
        row_columns: tuple[Column, ...],
        constants: Mapping[str, Any],
        batch_rows: int | None = None,
    ) -> None:
        self.con = con
        self.table = table
        self.schema = pa.schema([(c.name, arrow_type(c)) for c in row_columns])
        self.names = [c.name for c in row_columns]
        self.constants = dict(constants)
        self.batch_rows = batch_rows or BATCH_ROWS
        self.buffer: list[list[Any]] = [[] for _ in self.names]
        self.pending = 0
        self.written = 0

    def add(self, values: Mapping[str, Any]) -> None:
        for column, name in zip(self.buffer, self.names, strict=True):
            column.append(values.get(name))
        self.pending += 1
        if self.pending >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch = pa.table(
            [
                pa.array(col, type=field.type)
                for col, field in zip(self.buffer, self.schema, strict=True)
            ],
            schema=self.schema,
        )
        view = f"_batch_{next(_names)}"
        targets = [*self.names, *self.constants]
        selects = [f'"{n}"' for n in self.names] + ["?" for _ in self.constants]
        sql = (
            f"insert into {self.table} ({', '.join(targets)}) "
            f"select {', '.join(selects)} from {view}"
        )
        self.con.register(view, batch)
        try:
            self.con.execute(sql, list(self.constants.values()))
        finally:
            self.con.unregister(view)
        self.written += self.pending
        self.buffer = [[] for _ in self.names]
        self.pending = 0


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
