-- Every euro of customer_balances traces to customer_balance_exceptions and
-- from there to marts.exceptions: per (customer_vat, provider) the figures
-- are the sums of their rows, every row's pair has a balance, and the totals
-- equal those of the open exceptions. Returns what disagrees.
with

balances as (

    select * from {{ ref('customer_balances') }}

),

balance_exceptions as (

    select * from {{ ref('customer_balance_exceptions') }}

),

exceptions as (

    select * from {{ ref('exceptions') }}

),

by_pair as (

    select
        customer_vat,
        provider,
        coalesce(sum(contributes_eur) filter (where figure = 'owed'), 0) as owed_eur,
        coalesce(sum(contributes_eur) filter (where figure = 'under_billed'), 0) as under_billed_eur
    from balance_exceptions
    group by customer_vat, provider

),

pair_mismatches as (

    select
        'pair' as check_name,
        coalesce(balances.customer_vat, by_pair.customer_vat) as customer_vat,
        coalesce(balances.provider, by_pair.provider) as provider
    from by_pair
    left join balances
        on
            by_pair.customer_vat = balances.customer_vat
            and by_pair.provider = balances.provider
    where
        balances.customer_vat is null
        or balances.owed_eur != by_pair.owed_eur
        or balances.under_billed_eur != by_pair.under_billed_eur

),

totals as (

    select
        (select coalesce(sum(owed_eur), 0) from balances) as balances_owed_eur,
        (select coalesce(sum(under_billed_eur), 0) from balances) as balances_under_billed_eur,
        (
            select coalesce(sum(amount_eur - credited_eur), 0) from exceptions
            where status = 'open' and amount_eur > 0
        ) as exceptions_owed_eur,
        (
            select coalesce(sum(amount_eur - credited_eur), 0) from exceptions
            where status = 'open' and amount_eur < 0
        ) as exceptions_under_billed_eur

),

total_mismatches as (

    select
        'total' as check_name,
        cast(null as varchar) as customer_vat,
        cast(null as varchar) as provider
    from totals
    where
        balances_owed_eur != exceptions_owed_eur
        or balances_under_billed_eur != exceptions_under_billed_eur

)

select * from pair_mismatches
union all
select * from total_mismatches
