
    select
        provider, invoice_number,
        count(*) as n_records
    from "wh"."intermediate"."int_invoices__vat"
    group by provider, invoice_number
    having count(*) > 1
