
    select
        source_file, source_row,
        count(*) as n_records
    from "wh"."staging"."stg_crm__signed_orders"
    group by source_file, source_row
    having count(*) > 1
