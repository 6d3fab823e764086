
    select
        source_file, source_row,
        count(*) as n_records
    from "wh"."intermediate"."int_invoice_lines__judged"
    group by source_file, source_row
    having count(*) > 1
