{#- The order lines tonight's incremental models recompute (empty when the
    night rebuilds everything, see int_incremental__night): every order line
    with a landed row (CRM version, provider order or state change, invoice or
    credit-note line) loaded since the last build or by this night's date (a
    rerun of the same date), or delivered after the last build's date up to D
    (the staging models show rows by delivery date), and every order line with
    a submission or state change dated after the last build's date up to D
    (landed earlier, it enters the timeline tonight). Nothing else about an
    order line changes from one night to the next except what the as-of date
    itself ages, which the models downstream judge for every line each night. -#}
with

night as (

    select * from {{ ref('int_incremental__night') }}

),

signed_orders as (

    select * from {{ ref('stg_crm__signed_orders') }}

),

provider_orders as (

    select * from {{ ref('stg_providers__orders') }}

),

order_events as (

    select * from {{ ref('stg_providers__order_events') }}

),

invoice_lines as (

    select * from {{ ref('stg_providers__invoice_lines') }}

),

window_bounds as (

    select
        previous_as_of,
        as_of
    from night
    where not is_full_rebuild

),

loaded_since as (

    select signed_orders.order_line_id
    from signed_orders
    cross join window_bounds
    where {{ landed_in_window('signed_orders') }}

    union all

    select provider_orders.order_line_id
    from provider_orders
    cross join window_bounds
    where {{ landed_in_window('provider_orders', ['submitted_date']) }}

    union all

    select order_events.order_line_id
    from order_events
    cross join window_bounds
    where {{ landed_in_window('order_events', ['state_date']) }}

    union all

    select invoice_lines.order_line_id
    from invoice_lines
    cross join window_bounds
    where {{ landed_in_window('invoice_lines') }}

),

scope as (

    select distinct coalesce(order_line_id, '') as order_line_key
    from loaded_since

)

select order_line_key from scope
