
    select
        source_file, source_row,
        count(*) as n_records
    from "wh"."staging"."stg_providers__invoice_vat_summaries"
    group by source_file, source_row
    having count(*) > 1
