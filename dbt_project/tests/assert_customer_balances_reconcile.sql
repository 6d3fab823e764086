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
        coalesce(balances.customer_vat, by_pair.customer_vat) as pair_customer_vat,
        coalesce(balances.provider, by_pair.provider) as pair_provider
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

balance_totals as (

    select
        coalesce(sum(owed_eur), 0) as owed_eur,
        coalesce(sum(under_billed_eur), 0) as under_billed_eur
    from balances

),

exception_totals as (

    select
        coalesce(sum(amount_eur - credited_eur) filter (where amount_eur > 0), 0) as owed_eur,
        coalesce(sum(amount_eur - credited_eur) filter (where amount_eur < 0), 0) as under_billed_eur
    from exceptions
    where status = 'open'

),

total_mismatches as (

    select
        'total' as check_name,
        cast(null as varchar) as pair_customer_vat,
        cast(null as varchar) as pair_provider
    from balance_totals
    cross join exception_totals
    where
        balance_totals.owed_eur != exception_totals.owed_eur
        or balance_totals.under_billed_eur != exception_totals.under_billed_eur

)

select * from pair_mismatches
union all
select * from total_mismatches
