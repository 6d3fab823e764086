{#- One row per landed invoice (TD01) or credit-note (TD04) line, with its
    judgement: for a TD01 line the billing exception it raised (if any) and
    the figures behind it; for a TD04 line the exception it credits. A view:
    the rows are int_invoice_lines__judgements' (incremental), and the as-of
    date, the only column the date alone changes, is added where it is read,
    so a night neither rewrites nor republishes every line. -#}
with

judgements as (

    select * from {{ ref('int_invoice_lines__judgements') }}

)

select
    provider,
    invoice_number,
    document_type,
    invoice_date,
    related_invoice_number,
    customer_vat,
    body_number,
    line_number,
    order_line_id,
    sku,
    quantity,
    period_start_date,
    period_end_date,
    unit_price_eur,
    net_amount_eur,
    vat_rate,
    vat_amount_eur,
    is_in_crm_for_provider,
    activation_date,
    termination_date,
    billable_days,
    days_in_month,
    expected_eur,
    difference_eur,
    billing_exception_type,
    exception_amount_eur,
    judgement,
    credited_exception_type,
    credited_invoice_number,
    credited_invoice_line,
    {{ as_of_date() }} as as_of,
    source_file,
    source_row,
    delivery_date
from judgements
