
    

    create  table
      "wh"."marts"."quarantined_rows__dbt_tmp"
  
    
    as (
      with

quarantine as (

    select * from "wh"."staging"."stg_ingest__quarantine"

),

landed_files as (

    select * from "wh"."staging"."stg_ingest__landed_files"

)

select
    quarantine.source,
    quarantine.feed,
    quarantine.source_file,
    quarantine.source_row,
    quarantine.reason,
    quarantine.raw_record,
    landed_files.delivery_date,
    quarantine.file_sha256,
    quarantine.load_id,
    quarantine.quarantined_at
from quarantine
inner join landed_files
    on quarantine.source_file = landed_files.file_path
    );
    
  