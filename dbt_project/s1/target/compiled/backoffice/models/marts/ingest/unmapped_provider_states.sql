with

unmapped as (

    select * from "wh"."intermediate"."int_unmapped_provider_states"

),

order_lines as (

    select * from "wh"."intermediate"."int_crm_order_lines__current"

)

select
    unmapped.provider,
    unmapped.provider_state,
    unmapped.event_id,
    unmapped.provider_order_id,
    unmapped.order_line_id,
    order_lines.order_id,
    order_lines.customer_vat,
    unmapped.state_at,
    unmapped.state_date,
    unmapped.reason,
    unmapped.delivery_date,
    cast('2026-03-31' as date) as as_of,
    unmapped.source_file,
    unmapped.source_row
from unmapped
left join order_lines
    on unmapped.order_line_id = order_lines.order_line_id
where unmapped.state_date <= cast('2026-03-31' as date)