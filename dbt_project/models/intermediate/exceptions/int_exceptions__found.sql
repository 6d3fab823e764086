{#- Every exception the controls find as of D, with its stable id, credits
    and status (open or credited). Which of them are new, still open or
    resolved is the business of the marts exception_history and exceptions. -#}
with

lifecycle_exceptions as (

    select * from {{ ref('int_exceptions__lifecycle') }}

),

billing_line_exceptions as (

    select * from {{ ref('int_exceptions__billing_lines') }}

),

billing_period_exceptions as (

    select * from {{ ref('int_exceptions__billing_periods') }}

),

credit_notes as (

    select * from {{ ref('int_credit_notes__matched') }}

),

order_lines as (

    select * from {{ ref('int_crm_order_lines__current') }}

),

unmatched_credits as (

    select
        'UNMATCHED_CREDIT' as exception_type,
        credit_notes.provider,
        coalesce(credit_notes.customer_vat, order_lines.customer_vat) as customer_vat,
        order_lines.order_id,
        credit_notes.order_line_id,
        credit_notes.credit_note_number as invoice_number,
        credit_notes.line_number as invoice_line,
        cast(null as varchar) as period_month,
        cast(null as integer) as age_business_days,
        cast(null as integer) as sla_business_days,
        cast(-credit_notes.credited_eur as decimal(18, 2)) as amount_eur,
        {{ severity('credit_notes.credited_eur') }} as severity,
        'provider_billing' as owner,
        'credit note ' || credit_notes.credit_note_number
        || ' line ' || cast(credit_notes.line_number as varchar)
        || ' credits ' || {{ eur_text('credit_notes.credited_eur') }}
        || ' on invoice ' || coalesce(credit_notes.related_invoice_number, '(none named)')
        || ' for order line ' || coalesce(credit_notes.order_line_id, '(none)')
        || ', where no exception was found' as evidence,
        credit_notes.source_file,
        credit_notes.source_row
    from credit_notes
    left join order_lines
        on credit_notes.order_line_id = order_lines.order_line_id
    where not credit_notes.is_matched

),

found as (

    select * from lifecycle_exceptions
    union all
    select * from billing_line_exceptions
    union all
    select * from billing_period_exceptions
    union all
    select * from unmatched_credits

),

credits as (

    select
        provider,
        credited_exception_type,
        credited_invoice_number,
        credited_invoice_line,
        cast(sum(credited_eur) as decimal(18, 2)) as credited_eur,
        count(*) as credit_lines_count
    from credit_notes
    where is_matched
    group by
        provider,
        credited_exception_type,
        credited_invoice_number,
        credited_invoice_line

),

with_credits as (

    select
        found.*,
        coalesce(credits.credited_eur, cast(0 as decimal(18, 2))) as credited_eur,
        coalesce(credits.credit_lines_count, 0) as credit_lines_count
    from found
    left join credits
        on
            found.provider = credits.provider
            and found.exception_type = credits.credited_exception_type
            and found.invoice_number = credits.credited_invoice_number
            and found.invoice_line = credits.credited_invoice_line

),

-- One row per identity, whatever the data: a line delivered twice in
-- different files must not break the key.
identified as (

    select
        {{ exception_id(
            'provider', 'exception_type', 'order_line_id',
            'invoice_number', 'invoice_line', 'period_month') }} as exception_id,
        exception_type,
        case
            when
                credit_lines_count > 0
                and abs(amount_eur - credited_eur) <= {{ tolerance('amount_tolerance_eur') }}
                then 'credited'
            else 'open'
        end as status,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        invoice_number,
        invoice_line,
        period_month,
        {{ as_of_date() }} as as_of,
        age_business_days,
        sla_business_days,
        amount_eur,
        credited_eur,
        severity,
        owner,
        evidence,
        source_file,
        source_row
    from with_credits

),

final as (

    select * from identified
    qualify row_number() over (partition by exception_id order by source_file, source_row) = 1

)

select * from final
