with

source as (

    select * from {{ source('ingest', 'landed_files') }}

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
        loaded_at,
        from_json(header_columns, '["varchar"]') as header_columns

    from source
    where {{ delivered_by_as_of('delivery_date') }}

)

select * from renamed
