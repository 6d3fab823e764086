
    

    create  table
      "wh"."intermediate"."int_order_line_months__billing__dbt_tmp"
  
    
    as (
      with

order_lines as (

    select * from "wh"."intermediate"."int_order_lines__lifecycle"

),

invoice_lines as (

    select * from "wh"."staging"."stg_providers__invoice_lines"

),

calendar as (

    select * from "wh"."intermediate"."int_business_calendar"

),

cutoff as (

    -- the last day of the latest month M with D - last_day(M) >= the grace
    select
        case
            when last_day(grace_date) = grace_date then grace_date
            else cast(date_trunc('month', grace_date) - interval 1 day as date)
        end as last_judged_date
    from (
        select cast(cast('2026-03-31' as date) - to_days(20) as date) as grace_date
    ) as grace

),

active_lines as (

    select * from order_lines
    where activation_date is not null

),

billable_days as (

    select
        active_lines.order_line_id,
        active_lines.provider,
        calendar.calendar_date
    from active_lines
    cross join cutoff
    inner join calendar
        on
            active_lines.activation_date <= calendar.calendar_date
            and cutoff.last_judged_date >= calendar.calendar_date
    where
        active_lines.termination_date is null
        or active_lines.termination_date > calendar.calendar_date

),

charged_periods as (

    select
        provider,
        order_line_id,
        period_start_date,
        period_end_date
    from invoice_lines
    where
        document_type = 'TD01'
        and order_line_id is not null
        and period_start_date is not null
        and period_end_date is not null

),

covered_days as (

    select distinct
        billable_days.order_line_id,
        billable_days.calendar_date
    from billable_days
    inner join charged_periods
        on
            billable_days.provider = charged_periods.provider
            and billable_days.order_line_id = charged_periods.order_line_id
            and billable_days.calendar_date >= charged_periods.period_start_date
            and billable_days.calendar_date <= charged_periods.period_end_date

),

months as (

    select
        billable_days.order_line_id,
        cast(date_trunc('month', billable_days.calendar_date) as date) as month_start_date,
        count(*) as billable_days,
        count(*) filter (where covered_days.calendar_date is null) as uncovered_days
    from billable_days
    left join covered_days
        on
            billable_days.order_line_id = covered_days.order_line_id
            and billable_days.calendar_date = covered_days.calendar_date
    group by
        billable_days.order_line_id,
        cast(date_trunc('month', billable_days.calendar_date) as date)

),

final as (

    select
        months.order_line_id || '#' || strftime(months.month_start_date, '%Y-%m') as order_line_month_id,
        months.order_line_id,
        order_lines.provider,
        order_lines.order_id,
        order_lines.customer_vat,
        strftime(months.month_start_date, '%Y-%m') as period_month,
        months.month_start_date,
        last_day(months.month_start_date) as month_end_date,
        day(last_day(months.month_start_date)) as days_in_month,
        months.billable_days,
        months.uncovered_days,
        order_lines.contracted_monthly_eur,
        -(
        cast(
            sign(cast(order_lines.contracted_monthly_eur * months.uncovered_days as decimal(38, 8)))
            * (
                (
                    2 * abs(cast(cast(order_lines.contracted_monthly_eur * months.uncovered_days as decimal(38, 8)) * 100000000 as hugeint))
                    + cast(day(last_day(months.month_start_date)) as hugeint) * 1000000
                )
                // (2 * cast(day(last_day(months.month_start_date)) as hugeint) * 1000000)
            )
            as decimal(18, 0)
        ) * cast(0.01 as decimal(3, 2))
    ) as not_billed_eur,
        order_lines.activation_date,
        order_lines.termination_date,
        order_lines.activation_source_file,
        order_lines.activation_source_row
    from months
    inner join order_lines
        on months.order_line_id = order_lines.order_line_id

)

select * from final
    );
    
  