
    select
        provider, invoice_number, invoice_line,
        count(*) as n_records
    from "wh"."intermediate"."int_exceptions__billing_lines"
    group by provider, invoice_number, invoice_line
    having count(*) > 1
