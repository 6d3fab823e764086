with

source as (

    select * from {{ source('providers', 'invoice_lines') }}

),

renamed as (

    select
        provider,
        invoice_number,
        document_type,
        invoice_date,
        related_invoice_number,
        customer_vat,
        currency,
        body_number,
        line_number,
        order_line_id,
        sku,
        description,
        cast(quantity as decimal(18, 8)) as quantity,
        period_start as period_start_date,
        period_end as period_end_date,
        cast(unit_price as decimal(18, 8)) as unit_price_eur,
        cast(net_amount as decimal(18, 8)) as net_amount_eur,
        cast(vat_rate as decimal(5, 2)) as vat_rate,
        cast(vat_amount as decimal(18, 8)) as vat_amount_eur,
        {{ lineage_columns(row_number=false) }}

    from source
    where {{ delivered_by_as_of() }}

)

select * from renamed
