"""Any past night, as it was: what the night of a date published, read from the history.

Publications are pruned (only the latest few are kept), but `marts.exception_history` keeps
every change of every exception (appeared, changed, disappeared) and `marts.judged_nights`
every night. The exceptions a night published are the latest change of each exception at or
before that night, which is what the dbt model `marts.exceptions` computes for the night
being built; this module computes it for any earlier night, in SQL inside DuckDB.
"""

from __future__ import annotations

from datetime import date

import duckdb

from backoffice.errors import BackofficeError
from backoffice.published import EXCEPTION_COLUMNS

# Mirrors dbt_project/models/marts/exceptions/exceptions.sql, with the night as a parameter.
PUBLISHED_EXCEPTIONS_SQL = """
with
history as (
    select * from marts.exception_history where as_of <= $as_of
),
detections as (
    select exception_id, min(as_of) as detected_on
    from history where is_found group by exception_id
),
latest as (
    select
        history.*,
        detections.detected_on,
        case when history.is_found then $as_of else history.last_found_on end as last_found
    from history
    inner join detections on history.exception_id = detections.exception_id
    qualify row_number() over (partition by history.exception_id order by history.as_of desc) = 1
)
select
    latest.exception_id,
    latest.exception_type,
    case when latest.is_found then latest.status else 'resolved' end as status,
    latest.provider,
    latest.customer_vat,
    latest.order_id,
    latest.order_line_id,
    latest.invoice_number,
    latest.invoice_line,
    latest.period_month,
    $as_of as as_of,
    latest.detected_on,
    coalesce(
        latest.age_business_days,
        cal_b.business_day_index - cal_a.business_day_index
    ) as age_business_days,
    cast(latest.amount_eur as decimal(18, 2)) as amount_eur,
    cast(latest.credited_eur as decimal(18, 2)) as credited_eur,
    latest.severity,
    latest.owner,
    latest.evidence,
    latest.source_file,
    latest.source_row
from latest
left join intermediate.int_business_calendar as cal_a on cal_a.calendar_date = latest.detected_on
left join intermediate.int_business_calendar as cal_b on cal_b.calendar_date = latest.last_found
"""


def judged_nights(con: duckdb.DuckDBPyConnection) -> list[date]:
    """The as-of dates of every night the warehouse remembers, oldest first."""
    rows = con.execute("select as_of from marts.judged_nights order by as_of").fetchall()
    return [row[0] for row in rows]


def published_exceptions(con: duckdb.DuckDBPyConnection, as_of: date) -> duckdb.DuckDBPyRelation:
    """What the night of `as_of` published in `marts.exceptions` (OUTPUT.md's columns).

    `con` is any connection to a publication at or after that night (read-only is enough).
    Raises a BackofficeError when no night ran as of that date: a night that never ran
    published nothing, and guessing it from its neighbours would not be evidence.
    """
    nights = judged_nights(con)
    if as_of not in nights:
        known = ", ".join(d.isoformat() for d in nights[-5:]) or "none"
        raise BackofficeError(
            f"no night ran as of {as_of.isoformat()} in this warehouse (latest nights: {known}); "
            "pick one of those dates"
        )
    table = con.sql(PUBLISHED_EXCEPTIONS_SQL.replace("$as_of", f"date '{as_of.isoformat()}'"))
    return table.select(", ".join(EXCEPTION_COLUMNS))


CRM_LINES_SQL = """
select * exclude (version)
from (
    select
        *,
        row_number() over (
            partition by order_line_id
            order by updated_at desc, _delivery_date desc, _source_file desc,
                     try_cast(_source_row as integer) desc nulls last
        ) as version
    from raw.crm_signed_orders
    where _delivery_date <= $as_of
)
where version = 1
"""


def crm_lines_as_of(con: duckdb.DuckDBPyConnection, as_of: date) -> duckdb.DuckDBPyRelation:
    """The CRM lines as the night of `as_of` saw them: each line's current version then.

    The raw table keeps every landed version of every CRM line (a change arrives as a new
    row, never an update), so the CRM's history needs no copy: the version current on a night
    is the latest `updated_at` among the rows delivered by that night, as dbt's
    `int_crm_order_lines__current` picks it.
    """
    return con.sql(CRM_LINES_SQL.replace("$as_of", f"date '{as_of.isoformat()}'"))
