with

invoice_lines as (

    select * from "wh"."staging"."stg_providers__invoice_lines"

),

line_exceptions as (

    select * from "wh"."intermediate"."int_exceptions__billing_lines"

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
            order by line_exceptions.invoice_line
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
        cast(round(credit_lines.net_amount_eur, 2) as decimal(18, 2)) as credited_eur,
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