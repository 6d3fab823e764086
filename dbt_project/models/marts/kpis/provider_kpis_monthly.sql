{#- The back office's KPIs per provider and calendar month, as of D: one row
    per (provider, month) from the provider's first month with data to the
    month of D. Every measure is attributed to one month, named in its
    column's description; a measure with nothing to measure in a month is
    null, a count of things that did not happen is 0. -#}
with

order_lines as (

    select * from {{ ref('order_lines') }}

),

invoice_lines as (

    select * from {{ ref('invoice_lines') }}

),

exceptions as (

    select * from {{ ref('exceptions') }}

),

exception_history as (

    select * from {{ ref('exception_history') }}
    where as_of <= {{ as_of_date() }}

),

slas as (

    select * from {{ ref('lifecycle_slas') }}

),

-- The months each provider has data in: signing, activation, invoices,
-- credit notes and exceptions.
data_months as (

    select
        provider,
        signed_date as data_date
    from order_lines
    union all
    select
        provider,
        activation_date as data_date
    from order_lines
    union all
    select
        provider,
        invoice_date as data_date
    from invoice_lines
    union all
    select
        provider,
        detected_on as data_date
    from exceptions

),

provider_ranges as (

    select
        provider,
        cast(date_trunc('month', min(data_date)) as date) as first_month_date,
        cast(date_trunc('month', greatest(max(data_date), {{ as_of_date() }})) as date) as last_month_date
    from data_months
    where data_date is not null
    group by provider

),

spine as (

    select
        provider,
        cast(unnest(generate_series(first_month_date, last_month_date, interval 1 month)) as date)
            as month_start_date
    from provider_ranges

),

-- Cycle time of the lines activated in the month.
activations as (

    select
        provider,
        cast(date_trunc('month', activation_date) as date) as month_start_date,
        count(*) as activated_lines,
        -- quantile_cont on integers is a DOUBLE, here always exactly a tenth
        -- (a multiple of 0.1 between two integers): rounding to one decimal is
        -- exact. DuckDB's quantile_cont on DECIMALs truncates: not used.
        cast(round(median(cycle_time_business_days), 1) as decimal(6, 1)) as cycle_time_median_business_days,
        cast(round(quantile_cont(cycle_time_business_days, 0.9), 1) as decimal(6, 1))
            as cycle_time_p90_business_days
    from order_lines
    where
        activation_date is not null
        and cycle_time_business_days is not null
    group by provider, cast(date_trunc('month', activation_date) as date)

),

-- Signed lines not yet active as of D (in a state with an SLA), by month of
-- signing, and those of them with an open lifecycle exception.
stuck_lines as (

    select distinct
        provider,
        order_line_id
    from exceptions
    where
        status = 'open'
        and exception_type in ('ORDER_STUCK', 'ORDER_NOT_SUBMITTED', 'ORDER_REJECTED')

),

in_flight as (

    select
        order_lines.provider,
        cast(date_trunc('month', order_lines.signed_date) as date) as month_start_date,
        count(*) as lines_in_flight,
        count(stuck_lines.order_line_id) as lines_stuck
    from order_lines
    inner join slas
        on order_lines.lifecycle_state = slas.lifecycle_state
    left join stuck_lines
        on
            order_lines.provider = stuck_lines.provider
            and order_lines.order_line_id = stuck_lines.order_line_id
    where order_lines.line_status = 'signed'
    group by order_lines.provider, cast(date_trunc('month', order_lines.signed_date) as date)

),

-- TD01 lines by month of the invoice date; first time right: no billing
-- control fired on the line.
charged as (

    select
        provider,
        cast(date_trunc('month', invoice_date) as date) as month_start_date,
        count(*) as invoice_lines,
        count(*) filter (where judgement = 'ok') as first_time_right_invoice_lines
    from invoice_lines
    where document_type = 'TD01'
    group by provider, cast(date_trunc('month', invoice_date) as date)

),

-- TD04 lines by month of the credit note's date.
credited as (

    select
        provider,
        cast(date_trunc('month', invoice_date) as date) as month_start_date,
        count(*) as credit_note_lines,
        sum({{ round_half_away('net_amount_eur', 2) }}) as credits_issued_eur
    from invoice_lines
    where document_type = 'TD04'
    group by provider, cast(date_trunc('month', invoice_date) as date)

),

-- Open exceptions by month of detected_on, by aging bucket.
open_exceptions as (

    select
        provider,
        cast(date_trunc('month', detected_on) as date) as month_start_date,
        count(*) as open_exceptions,
        count(*) filter (where age_business_days <= 2) as open_aged_0_2,
        count(*) filter (where age_business_days between 3 and 7) as open_aged_3_7,
        count(*) filter (where age_business_days between 8 and 15) as open_aged_8_15,
        count(*) filter (where age_business_days between 16 and 30) as open_aged_16_30,
        count(*) filter (where age_business_days > 30) as open_aged_over_30,
        sum(abs(amount_eur - credited_eur)) as money_at_stake_eur
    from exceptions
    where status = 'open'
    group by provider, cast(date_trunc('month', detected_on) as date)

),

-- Exceptions exist only from the warehouse's first run on (the first as_of
-- in its history, or D when no run found any): before its month a count of
-- them would be a 0 that nobody looked for.
first_run as (

    select
        cast(date_trunc('month', coalesce(min(as_of), {{ as_of_date() }})) as date) as first_run_month_date
    from exception_history

),

kpis as (

    select
        spine.provider,
        strftime(spine.month_start_date, '%Y-%m') as month,  -- noqa: RF04
        spine.month_start_date,
        coalesce(activations.activated_lines, 0) as activated_lines,
        activations.cycle_time_median_business_days,
        activations.cycle_time_p90_business_days,
        coalesce(in_flight.lines_in_flight, 0) as lines_in_flight,
        coalesce(in_flight.lines_stuck, 0) as lines_stuck,
        {{ share('in_flight.lines_stuck', 'in_flight.lines_in_flight') }} as share_lines_stuck,
        coalesce(charged.invoice_lines, 0) as invoice_lines,
        coalesce(charged.first_time_right_invoice_lines, 0) as first_time_right_invoice_lines,
        {{ share('charged.first_time_right_invoice_lines', 'charged.invoice_lines') }}
            as share_first_time_right,
        coalesce(credited.credit_note_lines, 0) as credit_note_lines,
        cast(coalesce(credited.credits_issued_eur, 0) as decimal(18, 2)) as credits_issued_eur,
        case
            when spine.month_start_date >= first_run.first_run_month_date
                then coalesce(open_exceptions.open_exceptions, 0)
        end as open_exceptions,
        case
            when spine.month_start_date >= first_run.first_run_month_date
                then coalesce(open_exceptions.open_aged_0_2, 0)
        end as open_aged_0_2,
        case
            when spine.month_start_date >= first_run.first_run_month_date
                then coalesce(open_exceptions.open_aged_3_7, 0)
        end as open_aged_3_7,
        case
            when spine.month_start_date >= first_run.first_run_month_date
                then coalesce(open_exceptions.open_aged_8_15, 0)
        end as open_aged_8_15,
        case
            when spine.month_start_date >= first_run.first_run_month_date
                then coalesce(open_exceptions.open_aged_16_30, 0)
        end as open_aged_16_30,
        case
            when spine.month_start_date >= first_run.first_run_month_date
                then coalesce(open_exceptions.open_aged_over_30, 0)
        end as open_aged_over_30,
        case
            when spine.month_start_date >= first_run.first_run_month_date
                then cast(coalesce(open_exceptions.money_at_stake_eur, 0) as decimal(18, 2))
        end as money_at_stake_eur,
        {{ as_of_date() }} as as_of
    from spine
    cross join first_run
    left join activations
        on
            spine.provider = activations.provider
            and spine.month_start_date = activations.month_start_date
    left join in_flight
        on
            spine.provider = in_flight.provider
            and spine.month_start_date = in_flight.month_start_date
    left join charged
        on
            spine.provider = charged.provider
            and spine.month_start_date = charged.month_start_date
    left join credited
        on
            spine.provider = credited.provider
            and spine.month_start_date = credited.month_start_date
    left join open_exceptions
        on
            spine.provider = open_exceptions.provider
            and spine.month_start_date = open_exceptions.month_start_date

)

select * from kpis
