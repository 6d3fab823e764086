
  
  create view "wh"."staging"."stg_crm__signed_orders__dbt_tmp" as (
    with

source as (

    select * from "wh"."raw"."crm_signed_orders"

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
        _source_file as source_file,
        _source_row as source_row,
        try_cast(_source_row as integer) as source_row_number,
        _file_sha256 as file_sha256,
        _load_id as load_id,
        _delivery_date as delivery_date,
        _loaded_at as loaded_at

    from source
    where _delivery_date <= cast('2026-03-31' as date)

)

select * from renamed
  );
