{#- Append-only: one row per exception found per run (as_of). The memory of
    the warehouse across runs: the mart exceptions derives detected_on and
    resolved from it. Never rebuilt (full_refresh: false); a rerun for the
    same as_of first deletes that run's rows (pre-hook). -#}
with

found as (

    select * from {{ ref('int_exceptions__found') }}

)

select
    as_of,
    exception_id,
    exception_type,
    status,
    provider,
    customer_vat,
    order_id,
    order_line_id,
    invoice_number,
    invoice_line,
    period_month,
    age_business_days,
    sla_business_days,
    amount_eur,
    credited_eur,
    severity,
    owner,
    evidence,
    source_file,
    source_row
from found
