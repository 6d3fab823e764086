{#- Every landed invoice (TD01) and credit-note (TD04) line with its
    judgement: marts.invoice_lines without the as-of date, which is the one
    thing the date alone changes (the mart, a view, adds it where it is read).
    Nothing here changes from one night to the next unless a row of the line's
    order line lands or is dated into the window (int_incremental__order_lines):
    the TD01 judgement is int_invoice_lines__judged's (incremental by order
    line), and a TD04 line credits an exception on its own order line. So it is
    incremental: a night recomputes the lines of the order lines in scope
    (a line without an order line counts as ''). -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__order_lines') }}
with

invoice_lines as (

    select * from {{ ref('stg_providers__invoice_lines') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

judged as (

    select * from {{ ref('int_invoice_lines__judged') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

credit_notes as (

    select * from {{ ref('int_credit_notes__matched') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

judgements as (

    select
        invoice_lines.provider,
        invoice_lines.invoice_number,
        invoice_lines.document_type,
        invoice_lines.invoice_date,
        invoice_lines.related_invoice_number,
        invoice_lines.customer_vat,
        invoice_lines.body_number,
        invoice_lines.line_number,
        invoice_lines.order_line_id,
        invoice_lines.sku,
        invoice_lines.quantity,
        invoice_lines.period_start_date,
        invoice_lines.period_end_date,
        invoice_lines.unit_price_eur,
        invoice_lines.net_amount_eur,
        invoice_lines.vat_rate,
        invoice_lines.vat_amount_eur,
        judged.is_in_crm_for_provider,
        judged.activation_date,
        judged.termination_date,
        judged.billable_days,
        judged.days_in_month,
        judged.expected_eur,
        judged.difference_eur,
        judged.billing_exception_type,
        judged.exception_amount_eur,
        case
            when invoice_lines.document_type = 'TD01' and judged.billing_exception_type is null then 'ok'
            when invoice_lines.document_type = 'TD01' then 'exception'
            when invoice_lines.document_type = 'TD04' and credit_notes.is_matched then 'credits_exception'
            when invoice_lines.document_type = 'TD04' then 'unmatched_credit'
            else 'not_judged'
        end as judgement,
        credit_notes.credited_exception_type,
        credit_notes.credited_invoice_number,
        credit_notes.credited_invoice_line,
        invoice_lines.source_file,
        invoice_lines.source_row,
        invoice_lines.delivery_date
    from invoice_lines
    left join judged
        on
            invoice_lines.source_file = judged.source_file
            and invoice_lines.source_row = judged.source_row
    left join credit_notes
        on
            invoice_lines.source_file = credit_notes.source_file
            and invoice_lines.source_row = credit_notes.source_row

)

select * from judgements
