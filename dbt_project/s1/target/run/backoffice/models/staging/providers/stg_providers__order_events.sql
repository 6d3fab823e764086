
  
  create view "wh"."staging"."stg_providers__order_events__dbt_tmp" as (
    with

source as (

    select * from "wh"."raw"."provider_order_events"

),

renamed as (

    select
        provider,
        event_id,
        provider_order_id,
        order_line_id,
        provider_state,
        state_at,
        cast((state_at at time zone 'Europe/Rome') as date) as state_date,
        reason,
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
