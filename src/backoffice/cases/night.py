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
from backoffice.cases.store import CaseStore
from backoffice.cases.sync import BATCH, sync_exceptions
from backoffice.settings import Settings

# raw.case_state: what the warehouse sees of each case. The store's raw values (money in
# cents, instants in UTC, as SQLite text or Postgres values) are typed by DuckDB itself.
STATE_COLUMNS = (
    "exception_id",
    "status",
    "assignee",
    "root_cause",
    "due_date",
    "credit_expected_eur",
    "credit_received_eur",
    "opened_at",
    "updated_at",
    "closed_at",
    "closed_by",
)
CASE_STATE_SQL = """
create or replace table raw.case_state as
select
    cast(exception_id as varchar) as exception_id,
    cast(status as varchar) as case_status,
    cast(assignee as varchar) as assignee,
    cast(root_cause as varchar) as root_cause,
    cast(due_date as date) as due_date,
    cast(cast(credit_expected_eur as decimal(18, 0)) * 0.01 as decimal(18, 2))
        as credit_expected_eur,
    cast(cast(credit_received_eur as decimal(18, 0)) * 0.01 as decimal(18, 2))
        as credit_received_eur,
    cast(cast(opened_at as timestamp) as timestamptz) as opened_at,
    cast(cast(updated_at as timestamp) as timestamptz) as updated_at,
    cast(cast(closed_at as timestamp) as timestamptz) as closed_at,
    cast(closed_by as varchar) as closed_by
from case_state_arrow
"""

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
    written in one statement; the table exists (empty, typed) even before the first case.
    """
    columns: list[list[Any]] = [[] for _ in STATE_COLUMNS]
    with CaseStore.open(settings) as store, store.read_transaction() as conn:
        result = conn.exec_driver_sql(f"select {', '.join(STATE_COLUMNS)} from cases")
        while batch := result.fetchmany(BATCH):
            for column, values in zip(columns, zip(*batch, strict=True), strict=True):
                column.extend(values)
    table = pa.table([pa.array(values) for values in columns], names=list(STATE_COLUMNS))
    with duckdb.connect(str(settings.build_warehouse)) as con:
        con.execute("set TimeZone = 'UTC'")  # the store's instants are UTC
        con.execute("create schema if not exists raw")
        con.register("case_state_arrow", table)
        con.execute(CASE_STATE_SQL)
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
