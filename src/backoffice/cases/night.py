"""What a night does with cases: the steps the nightly run calls.

Before dbt, the case state the report and the KPIs need is copied into the
build warehouse (the warehouse never holds a lock on the case store); after
publication, cases follow what the night found (new ones opened, those no
longer found closed, closed ones found again reopened).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from backoffice import publish
from backoffice.cases.schema import cases
from backoffice.cases.store import CaseStore
from backoffice.cases.sync import BATCH, sync_exceptions
from backoffice.settings import Settings

# raw.case_state: what the warehouse sees of each case (amounts in EUR, 2 decimals).
CASE_STATE_SCHEMA = pa.schema(
    [
        ("exception_id", pa.string()),
        ("case_status", pa.string()),
        ("assignee", pa.string()),
        ("root_cause", pa.string()),
        ("due_date", pa.date32()),
        ("credit_expected_eur", pa.decimal128(18, 2)),
        ("credit_received_eur", pa.decimal128(18, 2)),
        ("opened_at", pa.timestamp("us", tz="UTC")),
        ("updated_at", pa.timestamp("us", tz="UTC")),
        ("closed_at", pa.timestamp("us", tz="UTC")),
        ("closed_by", pa.string()),
    ]
)
_STATE_COLUMNS = [
    cases.c.exception_id,
    cases.c.status,
    cases.c.assignee,
    cases.c.root_cause,
    cases.c.due_date,
    cases.c.credit_expected_eur,
    cases.c.credit_received_eur,
    cases.c.opened_at,
    cases.c.updated_at,
    cases.c.closed_at,
    cases.c.closed_by,
]

# The published exceptions as the sync reads them: amounts in integer cents, the
# customer's name from the CRM lines when known.
PUBLISHED_QUERY = """
with names as (
    select customer_vat, min(customer_name) as customer_name
    from marts.order_lines
    where customer_name is not null
    group by customer_vat
)
select
    e.exception_id, e.exception_type, e.status, e.provider, e.customer_vat,
    names.customer_name, e.order_id, e.order_line_id, e.invoice_number,
    cast(e.invoice_line as integer), e.period_month, e.as_of, e.detected_on,
    coalesce(e.age_business_days, 0),
    cast(round(e.amount_eur * 100) as bigint), cast(round(e.credited_eur * 100) as bigint),
    e.severity, e.owner, e.evidence, e.source_file, cast(e.source_row as varchar)
from marts.exceptions as e
left join names on names.customer_vat = e.customer_vat
"""


def import_case_state(settings: Settings, as_of: date) -> dict[str, Any]:
    """Copy the cases' current state into the build warehouse (raw.case_state).

    Read from the case store in one query, handed to DuckDB as an Arrow table and
    written in one statement; the table exists (empty) even before the first case.
    """
    from sqlalchemy import select

    with CaseStore.open(settings) as store, store.read_transaction() as conn:
        result = conn.execute(select(*_STATE_COLUMNS))
        columns: list[list[Any]] = [[] for _ in _STATE_COLUMNS]
        while batch := result.fetchmany(BATCH):
            for index, values in enumerate(zip(*batch, strict=True)):
                columns[index].extend(values)
    table = pa.Table.from_arrays(
        [
            pa.array(values, type=f.type)
            for values, f in zip(columns, CASE_STATE_SCHEMA, strict=True)
        ],
        schema=CASE_STATE_SCHEMA,
    )
    with duckdb.connect(str(settings.build_warehouse)) as con:
        con.execute("create schema if not exists raw")
        con.register("case_state_arrow", table)
        con.execute("create or replace table raw.case_state as select * from case_state_arrow")
        con.unregister("case_state_arrow")
    return {"as_of": as_of.isoformat(), "cases": table.num_rows}


def sync_cases(settings: Settings, as_of: date) -> dict[str, Any]:
    """Open, close and reopen cases after what the published night found."""
    with publish.connect_published(settings) as con, CaseStore.open(settings) as store:
        cursor = con.execute(PUBLISHED_QUERY)

        def batches():
            while batch := cursor.fetchmany(BATCH):
                yield batch

        return sync_exceptions(store, as_of, batches()).to_dict()
