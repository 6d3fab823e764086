with

source as (

    select * from {{ source('providers', 'provider_orders') }}

),

renamed as (

    select
        provider,
        event_id,
        provider_order_id,
        order_id,
        order_line_id,
        sku,
        quantity,
        cast(unit_price as decimal(18, 4)) as unit_price_eur,
        submitted_at,
        {{ local_date('submitted_at') }} as submitted_date,
        {{ lineage_columns(row_number=true) }}

    from source
    where {{ delivered_by_as_of() }}

)

select * from renamed
