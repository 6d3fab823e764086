"""What the review app reads from the published warehouse, read-only, one request at a time.

Each function opens the current publication read-only and closes it before returning:
the app never holds the file between requests, so a night that publishes a new copy is
never blocked by the app and the next request simply reads the new one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb

from backoffice import publish
from backoffice.settings import Settings
from backoffice.warehouse.catalog import has_table
from backoffice.warehouse.landed import dicts, lineage_tables, raw_records

LISTING_LIMIT = 500


@dataclass(frozen=True)
class SourceRecord:
    """One landed row as it arrived: its table, its lineage and its raw values."""

    table: str
    source_file: str
    source_row: str
    values: dict[str, Any]


@contextmanager
def _published(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection | None]:
    try:
        con = publish.connect_published(settings)
    except publish.NoPublicationError:
        yield None
        return
    try:
        yield con
    finally:
        con.close()


def publication_name(settings: Settings) -> str | None:
    path = publish.current_publication(settings)
    return path.name if path else None


def source_records(
    settings: Settings, source_file: str | None, source_row: str | None, order_line_id: str | None
) -> list[SourceRecord]:
    """The landed record that proves an exception (file and row) and the CRM line it is about.

    Tables are found by their lineage columns, so a new raw table needs no change here.
    """
    records: list[SourceRecord] = []
    with _published(settings) as con:
        if con is None:
            return records
        for table in lineage_tables(con):
            clauses, params = [], []
            if source_file and source_row:
                clauses.append("(_source_file = ? and _source_row = ?)")
                params += [source_file, str(source_row)]
            if order_line_id and table == "crm_signed_orders":
                clauses.append("order_line_id = ?")
                params.append(order_line_id)
            if not clauses:
                continue
            cursor = con.execute(
                # A TMF622 line's items share its row: the whole record breaks the tie.
                f'select * from raw."{table}" as landed where {" or ".join(clauses)} '
                "order by _source_file, _source_row, cast(landed as varchar) limit 50",
                params,
            )
            for values in dicts(cursor):
                records.append(
                    SourceRecord(
                        table=f"raw.{table}",
                        source_file=str(values.get("_source_file")),
                        source_row=str(values.get("_source_row")),
                        values=values,
                    )
                )
    return records


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return dicts(con.execute(sql, params))


def quarantined_rows(settings: Settings, limit: int = LISTING_LIMIT) -> tuple[list[dict], int]:
    """Every landed row that could not be loaded: file, row, reason, the raw record."""
    with _published(settings) as con:
        if con is None or not has_table(con, "marts", "quarantined_rows"):
            return [], 0
        total = con.execute("select count(*) from marts.quarantined_rows").fetchone()[0]
        rows = _rows(
            con,
            "select source, feed, source_file, source_row, reason, raw_record, delivery_date "
            "from marts.quarantined_rows "
            "order by delivery_date desc, source_file, source_row, reason limit ?",
            [limit],
        )
    return rows, total


def unmapped_states(settings: Settings, limit: int = LISTING_LIMIT) -> tuple[list[dict], int]:
    """Provider states the registry does not map, with the record that carried each."""
    with _published(settings) as con:
        if con is None or not has_table(con, "marts", "unmapped_provider_states"):
            return [], 0
        total = con.execute("select count(*) from marts.unmapped_provider_states").fetchone()[0]
        rows = _rows(
            con,
            "select provider, provider_state, order_line_id, order_id, customer_vat, "
            "state_at, reason, source_file, source_row "
            "from marts.unmapped_provider_states "
            "order by state_at desc, source_file, source_row, order_line_id "
            "limit ?",
            [limit],
        )
        landed = raw_records(con, [(row["source_file"], row["source_row"]) for row in rows])
        for row in rows:
            row["raw_record"] = landed.get((row["source_file"], str(row["source_row"])), "")
    return rows, total


def customer_names(settings: Settings, vats: list[str]) -> dict[str, str]:
    """Customers' names from the CRM as landed (the exceptions carry only the VAT number)."""
    if not vats:
        return {}
    with _published(settings) as con:
        if con is None or not has_table(con, "raw", "crm_signed_orders"):
            return {}
        rows = con.execute(
            "select customer_vat, max(customer_name) from raw.crm_signed_orders "
            "where customer_vat in (select unnest(?)) group by customer_vat",
            [list(vats)],
        ).fetchall()
    return {vat: name for vat, name in rows if name}


def feed_health(settings: Settings) -> list[Any]:
    """marts.feed_health of the publication (backoffice.feeds.health), [] before any night."""
    from backoffice.feeds.health import published_feed_health

    return published_feed_health(settings)
