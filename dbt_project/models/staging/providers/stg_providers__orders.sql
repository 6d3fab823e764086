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
        _source_file as source_file,
        _source_row as source_row,
        try_cast(_source_row as integer) as source_row_number,
        _file_sha256 as file_sha256,
        _load_id as load_id,
        _delivery_date as delivery_date,
        _loaded_at as loaded_at

    from source
    where {{ delivered_by_as_of() }}

)

select * from renamed
