{#- The canonical timeline of every CRM line: SUBMITTED moments from the
    provider's order records and the mapped states of its state changes,
    up to the end of D. Only the line's CRM provider counts; a provider
    state that raw.state_map does not map is not part of it (see
    int_unmapped_provider_states). Incremental: a night recomputes the lines
    of int_incremental__order_lines. -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__order_lines') }}
with

crm_lines as (

    select * from {{ ref('int_crm_order_lines__current') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

provider_orders as (

    select * from {{ ref('stg_providers__orders') }}

),

order_events as (

    select * from {{ ref('stg_providers__order_events') }}

),

state_map as (

    select * from {{ ref('stg_ingest__state_map') }}

),

submissions as (

    select
        provider,
        order_line_id,
        'SUBMITTED' as canonical_state,
        cast(null as varchar) as provider_state,
        submitted_at as state_at,
        submitted_date as state_date,
        'order' as record_kind,
        provider_order_id,
        event_id,
        source_file,
        source_row,
        source_row_number
    from provider_orders

),

state_changes as (

    select
        order_events.provider,
        order_events.order_line_id,
        state_map.canonical_state,
        order_events.provider_state,
        order_events.state_at,
        order_events.state_date,
        'event' as record_kind,
        order_events.provider_order_id,
        order_events.event_id,
        order_events.source_file,
        order_events.source_row,
        order_events.source_row_number
    from order_events
    inner join state_map
        on
            order_events.provider = state_map.provider
            and order_events.provider_state = state_map.provider_state

),

records as (

    select * from submissions
    union all
    select * from state_changes

),

of_the_crm_provider as (

    select records.*
    from records
    inner join crm_lines
        on
            records.order_line_id = crm_lines.order_line_id
            and records.provider = crm_lines.provider
    where records.state_date <= {{ as_of_date() }}

),

sequenced as (

    select
        *,
        row_number() over (
            partition by order_line_id
            order by
                state_at,
                case record_kind when 'order' then 0 else 1 end,
                source_file,
                source_row_number nulls last,
                source_row
        ) as timeline_seq
    from of_the_crm_provider

)

select
    order_line_id || '#' || cast(timeline_seq as varchar) as timeline_record_id,
    order_line_id,
    timeline_seq,
    provider,
    canonical_state,
    provider_state,
    state_at,
    state_date,
    record_kind,
    provider_order_id,
    event_id,
    source_file,
    source_row
from sequenced
