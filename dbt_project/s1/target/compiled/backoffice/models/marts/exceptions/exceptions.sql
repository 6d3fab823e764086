with

history as (

    select * from "wh"."marts"."exception_history"
    where as_of <= cast('2026-03-31' as date)

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
            when last_found_on = cast('2026-03-31' as date) then status
            else 'resolved'
        end as status,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        invoice_number,
        invoice_line,
        period_month,
        cast('2026-03-31' as date) as as_of,
        detected_on,
        coalesce(
            age_business_days,
            (
        (
            select cal_b.business_day_index
            from "wh"."intermediate"."int_business_calendar" as cal_b
            where cal_b.calendar_date = last_found_on
        )
        - (
            select cal_a.business_day_index
            from "wh"."intermediate"."int_business_calendar" as cal_a
            where cal_a.calendar_date = detected_on
        )
    )
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