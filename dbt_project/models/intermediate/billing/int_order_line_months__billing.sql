{#- ACTIVE_NOT_BILLED's basis (RULES.md): for every CRM line and calendar
    month M that ended at least billing_grace_days before D, the line's
    billable days in M (on or after activation, before termination) and how
    many of them no TD01 line of its provider covers. Incremental: a night
    recomputes the lines of int_incremental__order_lines, and every line when
    the cutoff moved (a month more is judged). -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__order_lines') }}
{%- set cutoff_moved = '(select night.is_billing_cutoff_moved from '
    ~ ref('int_incremental__night') ~ ' as night)' %}
with

order_lines as (

    select * from {{ ref('int_order_lines__lifecycle') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id', cutoff_moved) }}
    {%- endif %}

),

invoice_lines as (

    select * from {{ ref('stg_providers__invoice_lines') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id', cutoff_moved) }}
    {%- endif %}

),

cutoff as (

    -- the last day of the latest month M with D - last_day(M) >= the grace
    select {{ billing_last_judged_date(as_of_date()) }} as last_judged_date

),

billable_ranges as (

    select
        order_lines.order_line_id,
        order_lines.provider,
        order_lines.activation_date as first_billable_date,
        least(
            cutoff.last_judged_date,
            coalesce(cast(order_lines.termination_date - interval 1 day as date), cutoff.last_judged_date)
        ) as last_billable_date
    from order_lines
    cross join cutoff
    where order_lines.activation_date is not null

),

billable_days as (

    select
        order_line_id,
        provider,
        cast(unnest(generate_series(first_billable_date, last_billable_date, interval 1 day)) as date)
            as calendar_date
    from billable_ranges
    where first_billable_date <= last_billable_date

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
        order_lines.quantity,
        order_lines.unit_price_eur,
        order_lines.contracted_monthly_eur,
        -{{ divide_round_half_away(
            'order_lines.contracted_monthly_eur * months.uncovered_days',
            'day(last_day(months.month_start_date))') }} as not_billed_eur,
        order_lines.activation_date,
        order_lines.termination_date,
        order_lines.activation_source_file,
        order_lines.activation_source_row
    from months
    inner join order_lines
        on months.order_line_id = order_lines.order_line_id

)

select * from final
