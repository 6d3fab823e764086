{#- The billing controls that are not about one invoice line: VAT_ERROR, once
    per TD01 invoice, and ACTIVE_NOT_BILLED, once per order line and month. -#}
with

invoices as (

    select * from {{ ref('int_invoices__vat') }}

),

line_months as (

    select * from {{ ref('int_order_line_months__billing') }}

),

vat_errors as (

    select
        'VAT_ERROR' as exception_type,
        provider,
        customer_vat,
        cast(null as varchar) as order_id,
        cast(null as varchar) as order_line_id,
        invoice_number,
        cast(null as integer) as invoice_line,
        cast(null as varchar) as period_month,
        cast(null as integer) as age_business_days,
        cast(null as integer) as sla_business_days,
        vat_difference_eur as amount_eur,
        {{ severity('vat_difference_eur') }} as severity,
        'provider_billing' as owner,
        'billed VAT ' || {{ eur_text('billed_vat_eur') }}
        || ', expected ' || {{ eur_text('expected_vat_eur') }}
        || ' on a net of ' || {{ eur_text('net_amount_eur') }}
        || ': ' || expected_vat_detail as evidence,
        source_file,
        source_row
    from invoices
    where is_vat_error

),

not_billed as (

    select
        'ACTIVE_NOT_BILLED' as exception_type,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        cast(null as varchar) as invoice_number,
        cast(null as integer) as invoice_line,
        period_month,
        cast(null as integer) as age_business_days,
        cast(null as integer) as sla_business_days,
        cast(not_billed_eur as decimal(18, 2)) as amount_eur,
        {{ severity('not_billed_eur') }} as severity,
        'provider_billing' as owner,
        'active since ' || cast(activation_date as varchar)
        || coalesce(' until ' || cast(termination_date as varchar), '')
        || ': ' || cast(uncovered_days as varchar) || ' of ' || cast(billable_days as varchar)
        || ' billable days of ' || period_month || ' not billed, '
        || {{ eur_text('-not_billed_eur') }} || ' at contracted '
        || {{ eur_text('contracted_monthly_eur') }} || ' a month ('
        || cast(quantity as varchar) || ' x unit price ' || {{ price_text('unit_price_eur') }}
        || ') over ' || cast(days_in_month as varchar) || ' days' as evidence,
        activation_source_file as source_file,
        activation_source_row as source_row
    from line_months
    where uncovered_days > 0

),

found as (

    select * from vat_errors
    union all
    select * from not_billed

)

select * from found
