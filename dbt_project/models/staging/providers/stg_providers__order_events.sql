with

source as (

    select * from {{ source('providers', 'provider_order_events') }}

),

renamed as (

    select
        provider,
        event_id,
        provider_order_id,
        order_line_id,
        provider_state,
        state_at,
        {{ local_date('state_at') }} as state_date,
        reason,
        {{ lineage_columns(row_number=true) }}

    from source
    where {{ delivered_by_as_of() }}

)

select * from renamed
