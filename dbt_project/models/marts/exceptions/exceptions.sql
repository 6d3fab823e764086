{#- The exceptions table the back office works from (OUTPUT.md): one row per
    exception known to the warehouse as of D, open, credited or resolved,
    exactly OUTPUT.md's columns in order. Derived from exception_history:
    detected_on is the first run that found it; one the run of D no longer
    finds is resolved, keeping what the last run that found it said. -#}
with

history as (

    select * from {{ ref('exception_history') }}
    where as_of <= {{ as_of_date() }}

),

runs_found as (

    select
        exception_id,
        min(as_of) as detected_on,
        max(as_of) as last_found_on
    from history
    group by exception_id

),

latest_findings as (

    select
        history.*,
        runs_found.detected_on,
        runs_found.last_found_on
    from history
    inner join runs_found
        on
            history.exception_id = runs_found.exception_id
            and history.as_of = runs_found.last_found_on

),

final as (

    select
        exception_id,
        exception_type,
        case
            when last_found_on = {{ as_of_date() }} then status
            else 'resolved'
        end as status,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        invoice_number,
        invoice_line,
        period_month,
        {{ as_of_date() }} as as_of,
        detected_on,
        coalesce(
            age_business_days,
            {{ business_days('detected_on', 'last_found_on') }}
        ) as age_business_days,
        cast(amount_eur as decimal(18, 2)) as amount_eur,
        cast(credited_eur as decimal(18, 2)) as credited_eur,
        severity,
        owner,
        evidence,
        source_file,
        source_row
    from latest_findings

)

select * from final
