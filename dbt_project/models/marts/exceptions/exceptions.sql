{#- The exceptions table the back office works from (OUTPUT.md): one row per
    exception known to the warehouse as of D, open, credited or resolved,
    exactly OUTPUT.md's columns in order. Derived from exception_history (changes, not copies):
    detected_on is the first run that found it; one the run of D no longer
    finds is resolved, keeping what the last run that found it said. -#}
with

history as (

    select * from {{ ref('exception_history') }}
    where as_of <= {{ as_of_date() }}

),

detections as (

    select
        exception_id,
        min(as_of) as detected_on
    from history
    where is_found
    group by exception_id

),

-- The latest change of each exception up to D: found (so the night of D
-- found it as this row says) or disappeared (resolved, as last found).
latest_findings as (

    select
        history.*,
        detections.detected_on,
        case when history.is_found then {{ as_of_date() }} else history.last_found_on end as last_found_on_date
    from history
    inner join detections
        on history.exception_id = detections.exception_id
    qualify row_number() over (partition by history.exception_id order by history.as_of desc) = 1

),

final as (

    select
        exception_id,
        exception_type,
        case
            when is_found then status
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
            {{ business_days('detected_on', 'last_found_on_date') }}
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
