{#- What every customer is owed by, and was under-billed by, each provider as
    of D: one row per (customer_vat, provider) that has a CRM line or an open
    exception. The figures add up the rows of customer_balance_exceptions. -#}
with

order_lines as (

    select * from {{ ref('order_lines') }}

),

exceptions as (

    select * from {{ ref('exceptions') }}

),

balance_exceptions as (

    select * from {{ ref('customer_balance_exceptions') }}

),

-- The customer's name as its latest CRM line spells it.
customer_names as (

    select
        customer_vat,
        customer_name
    from order_lines
    qualify row_number() over (
        partition by customer_vat
        order by updated_at desc, order_line_id desc
    ) = 1

),

pairs as (

    select distinct
        customer_vat,
        provider
    from order_lines
    where customer_vat is not null

    union

    select distinct
        coalesce(customer_vat, 'unknown') as customer_vat,
        provider
    from exceptions
    where status = 'open'

),

open_counts as (

    select
        coalesce(customer_vat, 'unknown') as customer_vat,
        provider,
        count(*) as open_exceptions
    from exceptions
    where status = 'open'
    group by coalesce(customer_vat, 'unknown'), provider

),

figures as (

    select
        customer_vat,
        provider,
        sum(contributes_eur) filter (where figure = 'owed') as owed_eur,
        sum(contributes_eur) filter (where figure = 'under_billed') as under_billed_eur,
        count(*) filter (where figure = 'owed') as owed_exceptions,
        count(*) filter (where figure = 'under_billed') as under_billed_exceptions
    from balance_exceptions
    group by customer_vat, provider

),

balances as (

    select
        pairs.customer_vat,
        pairs.provider,
        customer_names.customer_name,
        cast(coalesce(figures.owed_eur, 0) as decimal(18, 2)) as owed_eur,
        cast(coalesce(figures.under_billed_eur, 0) as decimal(18, 2)) as under_billed_eur,
        coalesce(figures.owed_exceptions, 0) as owed_exceptions,
        coalesce(figures.under_billed_exceptions, 0) as under_billed_exceptions,
        coalesce(open_counts.open_exceptions, 0) as open_exceptions,
        {{ as_of_date() }} as as_of
    from pairs
    left join customer_names
        on pairs.customer_vat = customer_names.customer_vat
    left join figures
        on
            pairs.customer_vat = figures.customer_vat
            and pairs.provider = figures.provider
    left join open_counts
        on
            pairs.customer_vat = open_counts.customer_vat
            and pairs.provider = open_counts.provider

)

select * from balances
