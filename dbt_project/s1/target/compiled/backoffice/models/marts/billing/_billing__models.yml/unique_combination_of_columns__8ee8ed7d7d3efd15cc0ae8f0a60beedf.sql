
    select
        source_file, source_row,
        count(*) as n_records
    from "wh"."marts"."invoice_lines"
    group by source_file, source_row
    having count(*) > 1
