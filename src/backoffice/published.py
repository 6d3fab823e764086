"""What the latest night published, as the back office reads it.

OUTPUT.md's exceptions table is written from here for every listing and export,
so the column order and the value formats are stated once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

import duckdb
import yaml

from backoffice import publish
from backoffice.settings import PROJECT_DIR, Settings

# The dbt model contract of marts.exceptions declares OUTPUT.md's columns, their order and
# their types; dbt refuses a build whose select differs from it.
EXCEPTIONS_CONTRACT = (
    PROJECT_DIR / "dbt_project" / "models" / "marts" / "exceptions" / "_exceptions__models.yml"
)


def contract_columns(
    path: Path = EXCEPTIONS_CONTRACT, model: str = "exceptions"
) -> tuple[str, ...]:
    """The columns a dbt model's enforced contract declares, in order.

    Read once, so that OUTPUT.md's column list lives in one place (the contract) and
    every listing and export writes the columns as the warehouse builds them.
    """
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in document.get("models", []):
        if entry.get("name") != model:
            continue
        if not (entry.get("config") or {}).get("contract", {}).get("enforced"):
            raise ValueError(f"{path}: the model {model!r} has no enforced contract")
        return tuple(column["name"] for column in entry["columns"])
    raise ValueError(f"{path}: no model {model!r}")


EXCEPTION_COLUMNS = contract_columns()
EXCEPTION_ORDER = (
    "exception_type, provider, order_line_id nulls first, invoice_number nulls first, "
    "invoice_line nulls first, period_month nulls first"
)


def write_exceptions_csv(settings: Settings, out: TextIO) -> int:
    """The published exceptions table as OUTPUT.md fixes it; returns the row count."""
    columns = ", ".join(EXCEPTION_COLUMNS)
    with publish.connect_published(settings) as con:
        cursor = con.execute(f"select {columns} from marts.exceptions order by {EXCEPTION_ORDER}")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXCEPTION_COLUMNS)
        count = 0
        while batch := cursor.fetchmany(10_000):
            writer.writerows([[csv_value(v) for v in row] for row in batch])
            count += len(batch)
    return count


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# The words of the exceptions table (RULES.md, OUTPUT.md; explained in docs/glossary.md).
EXCEPTION_TYPES = (
    "ORDER_NOT_SUBMITTED",
    "ORDER_STUCK",
    "ORDER_REJECTED",
    "ORDER_ENTRY_MISMATCH",
    "DUPLICATE_CHARGE",
    "BILLED_NOT_ACTIVE",
    "BILLED_AFTER_CANCELLATION",
    "BILLED_BEFORE_ACTIVATION",
    "PRICE_MISMATCH",
    "QUANTITY_MISMATCH",
    "PRORATA_ERROR",
    "VAT_ERROR",
    "ACTIVE_NOT_BILLED",
    "UNMATCHED_CREDIT",
)
EXCEPTION_STATUSES = ("open", "credited", "resolved")
SEVERITIES = ("high", "medium", "low")
OWNERS = ("back_office", "provider_billing", "customer_care")


@dataclass(frozen=True)
class ExceptionFilter:
    """Which published exceptions a listing shows; empty tuples select everything."""

    status: tuple[str, ...] = ()
    exception_type: tuple[str, ...] = ()
    provider: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()
    customer_vat: str | None = None

    def is_empty(self) -> bool:
        return self == ExceptionFilter()

    def where(self) -> tuple[str, list[object]]:
        """A parameterised WHERE clause (never user text formatted into SQL)."""
        clauses: list[str] = []
        params: list[object] = []
        for column, values in (
            ("status", self.status),
            ("exception_type", self.exception_type),
            ("provider", self.provider),
            ("owner", self.owner),
            ("severity", self.severity),
        ):
            if values:
                clauses.append(f"{column} in ({', '.join('?' for _ in values)})")
                params.extend(values)
        if self.customer_vat:
            clauses.append("customer_vat = ?")
            params.append(self.customer_vat)
        return (" where " + " and ".join(clauses) if clauses else ""), params


def select_exceptions(
    con: duckdb.DuckDBPyConnection, filter: ExceptionFilter, *, relation: str = "marts.exceptions"
) -> duckdb.DuckDBPyConnection:
    """OUTPUT.md's columns of the exceptions the filter selects, in the contract's order."""
    where, params = filter.where()
    columns = ", ".join(EXCEPTION_COLUMNS)
    return con.execute(
        f"select {columns} from {relation}{where} order by {EXCEPTION_ORDER}", params
    )
