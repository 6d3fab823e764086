with

source as (

    select * from "wh"."raw"."landed_files"

),

renamed as (

    select
        file_path,
        source,
        feed,
        delivery_date,
        size_bytes,
        file_sha256,
        load_id,
        status as load_status,
        duplicate_of as duplicate_of_file_path,
        rows_read,
        rows_loaded,
        rows_quarantined,
        error as error_message,
        loaded_at

    from source
    where delivery_date <= cast('2026-03-31' as date)

)

select * from renamed