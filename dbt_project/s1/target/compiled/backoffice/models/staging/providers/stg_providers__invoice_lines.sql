with

source as (

    select * from "wh"."raw"."invoice_lines"

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
        _source_file as source_file,
        _source_row as source_row,
        _file_sha256 as file_sha256,
        _load_id as load_id,
        _delivery_date as delivery_date,
        _loaded_at as loaded_at

    from source
    where _delivery_date <= cast('2026-03-31' as date)

)

select * from renamed