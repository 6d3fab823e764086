{#- Every TD04 credit-note line and the exception it credits: the billing
    exception on the same order line and the invoice the credit note names
    (where there are several, the one on the smallest invoice line, then by file,
    row and type: a total order, so a rerun credits the same one). A line
    that matches none is an UNMATCHED_CREDIT. -#}
with

invoice_lines as (

    select * from {{ ref('stg_providers__invoice_lines') }}

),

line_exceptions as (

    select * from {{ ref('int_exceptions__billing_lines') }}

),

credit_lines as (

    select * from invoice_lines
    where document_type = 'TD04'

),

candidates as (

    select
        credit_lines.source_file,
        credit_lines.source_row,
        line_exceptions.exception_type,
        line_exceptions.invoice_number,
        line_exceptions.invoice_line,
        row_number() over (
            partition by credit_lines.source_file, credit_lines.source_row
            order by
                line_exceptions.invoice_line,
                line_exceptions.source_file,
                line_exceptions.source_row,
                line_exceptions.exception_type
        ) as candidate_rank
    from credit_lines
    inner join line_exceptions
        on
            credit_lines.provider = line_exceptions.provider
            and credit_lines.order_line_id = line_exceptions.order_line_id
            and credit_lines.related_invoice_number = line_exceptions.invoice_number

),

matched as (

    select
        credit_lines.provider,
        credit_lines.invoice_number as credit_note_number,
        credit_lines.invoice_date as credit_note_date,
        credit_lines.body_number,
        credit_lines.line_number,
        credit_lines.related_invoice_number,
        credit_lines.customer_vat,
        credit_lines.order_line_id,
        {{ round_half_away('credit_lines.net_amount_eur', 2) }} as credited_eur,
        candidates.exception_type as credited_exception_type,
        candidates.invoice_number as credited_invoice_number,
        candidates.invoice_line as credited_invoice_line,
        candidates.exception_type is not null as is_matched,
        credit_lines.source_file,
        credit_lines.source_row
    from credit_lines
    left join candidates
        on
            credit_lines.source_file = candidates.source_file
            and credit_lines.source_row = candidates.source_row
            and candidates.candidate_rank = 1

)

select * from matched
