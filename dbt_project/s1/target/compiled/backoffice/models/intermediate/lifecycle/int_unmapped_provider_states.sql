with

order_events as (

    select * from "wh"."staging"."stg_providers__order_events"

),

state_map as (

    select * from "wh"."staging"."stg_ingest__state_map"

),

unmapped as (

    select
        order_events.provider,
        order_events.event_id,
        order_events.provider_order_id,
        order_events.order_line_id,
        order_events.provider_state,
        order_events.state_at,
        order_events.state_date,
        order_events.reason,
        order_events.delivery_date,
        order_events.source_file,
        order_events.source_row
    from order_events
    left join state_map
        on
            order_events.provider = state_map.provider
            and order_events.provider_state = state_map.provider_state
    where state_map.provider_state is null

)

select * from unmapped