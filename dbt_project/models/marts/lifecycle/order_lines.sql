{#- One row per CRM order line (its current version as of D) with its
    lifecycle: current state and since when, activation, termination, cycle
    time and latest submission at its provider. A view: the rows are
    int_order_lines__states' (incremental), aged by int_order_lines__lifecycle,
    and the as-of date is added where it is read, so a night neither rewrites
    nor republishes every line. -#}
with

lifecycle as (

    select * from {{ ref('int_order_lines__lifecycle') }}

)

select
    order_line_id,
    order_id,
    customer_vat,
    customer_name,
    provider,
    sku,
    description,
    quantity,
    unit_price_eur,
    contracted_monthly_eur,
    vat_rate,
    signed_date,
    line_status,
    cancelled_date,
    updated_at,
    lifecycle_state,
    current_state,
    current_state_began_at,
    current_state_began_date,
    state_age_business_days,
    activated_at,
    activation_date,
    terminated_at,
    termination_date,
    cycle_time_business_days,
    timeline_records_count,
    submissions_count,
    latest_provider_order_id,
    latest_submitted_at,
    latest_submitted_sku,
    latest_submitted_quantity,
    latest_submitted_unit_price_eur,
    {{ as_of_date() }} as as_of,
    crm_source_file as source_file,
    crm_source_row as source_row
from lifecycle
