{#- One row per night that judged the exceptions: the as_of dates the
    history's changes are measured between. Appended, never rebuilt; a rerun
    of D replaces D's row (pre-hook). exception_history reads the night
    before D from here, so a disappearance knows the last night that still
    found the exception. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    pre_hook="{{ delete_history_of_this_run(this) }}",
) }}

with

found as (

    select * from {{ ref('int_exceptions__found') }}

),

night as (

    select
        {{ as_of_date() }} as as_of,
        count(*) as exceptions_found,
        cast(coalesce(sum(amount_eur), 0) as decimal(18, 2)) as amount_found_eur,
        '{{ invocation_id }}' as dbt_invocation_id,
        cast('{{ run_started_at.isoformat() }}' as timestamptz) as judged_at
    from found

)

select * from night
