with

source as (

    select * from "wh"."raw"."invoice_vat_summaries"

),

renamed as (

    select
        provider,
        invoice_number,
        document_type,
        invoice_date,
        body_number,
        cast(vat_rate as decimal(5, 2)) as vat_rate,
        cast(taxable_amount as decimal(18, 8)) as taxable_amount_eur,
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