with

source as (

    select * from {{ source('crm', 'crm_signed_orders') }}

),

renamed as (

    select
        order_line_id,
        order_id,
        customer_vat,
        customer_name,
        provider,
        sku,
        description,
        quantity,
        cast(unit_price as decimal(18, 4)) as unit_price_eur,
        cast(vat_rate as decimal(5, 2)) as vat_rate,
        signed_date,
        line_status,
        cancelled_date,
        updated_at,
        {{ lineage_columns(row_number=true) }}

    from source
    where {{ delivered_by_as_of() }}

)

select * from renamed
