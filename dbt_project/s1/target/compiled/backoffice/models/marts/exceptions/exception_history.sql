with

found as (

    select * from "wh"."intermediate"."int_exceptions__found"

)

select
    as_of,
    exception_id,
    exception_type,
    status,
    provider,
    customer_vat,
    order_id,
    order_line_id,
    invoice_number,
    invoice_line,
    period_month,
    age_business_days,
    sla_business_days,
    amount_eur,
    credited_eur,
    severity,
    owner,
    evidence,
    source_file,
    source_row
from found