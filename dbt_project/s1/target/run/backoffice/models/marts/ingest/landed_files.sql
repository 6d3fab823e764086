
    

    create  table
      "wh"."marts"."landed_files__dbt_tmp"
  
    
    as (
      with

landed_files as (

    select * from "wh"."staging"."stg_ingest__landed_files"

)

select
    file_path,
    source,
    feed,
    delivery_date,
    load_status,
    duplicate_of_file_path,
    size_bytes,
    file_sha256,
    rows_read,
    rows_loaded,
    rows_quarantined,
    error_message,
    load_id,
    loaded_at
from landed_files
    );
    
  