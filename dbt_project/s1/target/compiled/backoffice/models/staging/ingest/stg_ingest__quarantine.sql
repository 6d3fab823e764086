with

source as (

    select * from "wh"."raw"."quarantine"

),

renamed as (

    select
        source,
        feed,
        source_file,
        source_row,
        reason,
        raw_record,
        file_sha256,
        load_id,
        quarantined_at

    from source

)

select * from renamed