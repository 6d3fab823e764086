{#- The open exceptions with money at stake behind customer_balances: one row
    per (customer_vat, provider, exception_id). An open exception with a
    positive amount is money the customer is owed (figure owed), one with a
    negative amount is money the provider did not bill (figure under_billed);
    either contributes amount_eur - credited_eur, what is still outstanding
    after the credit notes that credit it. An exception whose customer
    neither the invoice nor the CRM names is listed under customer_vat
    'unknown', so that no euro drops out of the totals. -#}
with

exceptions as (

    select * from {{ ref('exceptions') }}

),

with_money as (

    select * from exceptions
    where
        status = 'open'
        and amount_eur != 0

),

figures as (

    select
        coalesce(customer_vat, 'unknown') as customer_vat,
        provider,
        exception_id,
        case when amount_eur > 0 then 'owed' else 'under_billed' end as figure,
        exception_type,
        order_id,
        order_line_id,
        invoice_number,
        invoice_line,
        period_month,
        detected_on,
        amount_eur,
        credited_eur,
        cast(amount_eur - credited_eur as decimal(18, 2)) as contributes_eur,
        severity,
        owner,
        evidence,
        source_file,
        source_row,
        as_of
    from with_money

)

select * from figures
