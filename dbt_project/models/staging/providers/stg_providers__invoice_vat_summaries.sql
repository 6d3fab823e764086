with

source as (

    select * from {{ source('providers', 'invoice_vat_summaries') }}

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
        {{ lineage_columns(row_number=false) }}

    from source
    where {{ delivered_by_as_of() }}

)

select * from renamed
