{#- Feed health as of D: one row per registry feed, judged against the rhythm the registry
    gives it (docs/feed-health.md). Late: no delivery counts for the latest period whose
    due date (moved to a business day, then `grace` business days later) is on or before D.
    Small: the latest period's rows or files under a third of the usual, the lower median of
    the feed's previous 7 periods with a delivery (at least 3 needed). It only warns: no test
    fails on a late or small feed, so a late feed never blocks a night. -#}
{%- set usual_history = 7 -%}
{%- set usual_min_periods = 3 -%}
{%- set small_factor = 3 -%}

with

schedule as (

    select * from {{ ref('stg_ingest__feed_schedule') }}

),

landed_files as (

    select * from {{ ref('stg_ingest__landed_files') }}

),

calendar as (

    select * from {{ ref('int_business_calendar') }}

),

-- One row per feed and delivery date: what it landed that day. Redeliveries and unreadable
-- files count (the provider did send them); entries the registry does not expect do not.
deliveries as (

    select
        source,
        feed,
        delivery_date,
        count(*) as files,
        cast(coalesce(sum(rows_read), 0) as bigint) as rows_read
    from landed_files
    where load_status != 'unexpected'
    group by source, feed, delivery_date

),

-- The period a delivery counts for: its business day (a weekend's delivery counts for the
-- Friday before), the weekday it is due by (week), its month (month), itself (no rhythm).
delivery_periods as (

    select
        deliveries.source,
        deliveries.feed,
        deliveries.delivery_date,
        deliveries.files,
        deliveries.rows_read,
        case schedule.rhythm_every
            when 'business_day' then business_day.calendar_date
            when 'week'
                then
                    deliveries.delivery_date
                    + cast((schedule.rhythm_iso_weekday - isodow(deliveries.delivery_date) + 7) % 7 as integer)
            when 'month' then cast(date_trunc('month', deliveries.delivery_date) as date)
            else deliveries.delivery_date
        end as period_date
    from deliveries
    inner join schedule
        on
            deliveries.source = schedule.source
            and deliveries.feed = schedule.feed
    inner join calendar as delivery_day
        on deliveries.delivery_date = delivery_day.calendar_date
    left join calendar as business_day
        on
            business_day.is_business_day
            and delivery_day.business_day_index = business_day.business_day_index

),

-- Each rhythm's nominal due dates around D, moved to the next business day when they fall
-- on a weekend or a holiday, then `grace` business days later: when each period is due.
due_candidates as (

    select
        schedule.source,
        schedule.feed,
        case schedule.rhythm_every
            when 'month' then cast(date_trunc('month', nominal.calendar_date) as date)
            else nominal.calendar_date
        end as period_date,
        nominal.business_day_index
        + case when nominal.is_business_day then 0 else 1 end
        + schedule.rhythm_grace_business_days as due_business_day_index
    from schedule
    inner join calendar as nominal
        on nominal.calendar_date between {{ as_of_date() }} - 400 and {{ as_of_date() }} + 62
    where
        (schedule.rhythm_every = 'business_day' and nominal.is_business_day)
        or (schedule.rhythm_every = 'week' and nominal.iso_day_of_week = schedule.rhythm_iso_weekday)
        or (schedule.rhythm_every = 'month' and day(nominal.calendar_date) = schedule.rhythm_day_of_month)

),

dues as (

    select
        due_candidates.source,
        due_candidates.feed,
        due_candidates.period_date,
        due_day.calendar_date as due_date
    from due_candidates
    inner join calendar as due_day
        on
            due_day.is_business_day
            and due_candidates.due_business_day_index = due_day.business_day_index

),

last_delivery as (

    select
        source,
        feed,
        max(delivery_date) as last_delivery_date,
        arg_max(files, delivery_date) as last_delivery_files,
        arg_max(rows_read, delivery_date) as last_delivery_rows,
        max(period_date) as last_period_date
    from delivery_periods
    group by source, feed

),

expected as (

    select
        dues.source,
        dues.feed,
        max(dues.due_date) filter (where dues.due_date <= {{ as_of_date() }}) as expected_by_date,
        arg_max(dues.period_date, dues.due_date)
        filter (where dues.due_date <= {{ as_of_date() }}) as expected_period_date,
        min(dues.due_date) filter (where dues.due_date > {{ as_of_date() }}) as next_due_date,
        -- the first due date left without a delivery since the last one: late since then
        min(dues.due_date) filter (
            where
            dues.due_date <= {{ as_of_date() }}
            and (last_delivery.last_period_date is null or dues.period_date > last_delivery.last_period_date)
        ) as late_since_date
    from dues
    left join last_delivery
        on
            dues.source = last_delivery.source
            and dues.feed = last_delivery.feed
    group by dues.source, dues.feed

),

periods as (

    select
        source,
        feed,
        period_date,
        cast(sum(files) as bigint) as files,
        cast(sum(rows_read) as bigint) as rows_read
    from delivery_periods
    group by source, feed, period_date

),

-- The period whose volume is judged: the latest one with a delivery that is due by D (a
-- period not due yet may be partial); without a rhythm, the last delivery's.
judged_period as (

    select
        periods.source,
        periods.feed,
        max(periods.period_date) as period_date
    from periods
    inner join schedule
        on
            periods.source = schedule.source
            and periods.feed = schedule.feed
    left join expected
        on
            periods.source = expected.source
            and periods.feed = expected.feed
    where schedule.rhythm_every is null or periods.period_date <= expected.expected_period_date
    group by periods.source, periods.feed

),

judged_volume as (

    select
        periods.source,
        periods.feed,
        periods.period_date,
        periods.files,
        periods.rows_read
    from periods
    inner join judged_period
        on
            periods.source = judged_period.source
            and periods.feed = judged_period.feed
            and periods.period_date = judged_period.period_date

),

previous_periods as (

    select
        periods.source,
        periods.feed,
        periods.files,
        periods.rows_read,
        row_number() over (
            partition by periods.source, periods.feed order by periods.period_date desc
        ) as periods_back
    from periods
    inner join judged_period
        on
            periods.source = judged_period.source
            and periods.feed = judged_period.feed
    where periods.period_date < judged_period.period_date

),

usual as (

    select
        source,
        feed,
        cast(quantile_disc(files, 0.5) as bigint) as usual_files,
        cast(quantile_disc(rows_read, 0.5) as bigint) as usual_rows,
        count(*) as usual_periods
    from previous_periods
    where periods_back <= {{ usual_history }}
    group by source, feed

),

measured as (

    select
        schedule.source,
        schedule.feed,
        schedule.feed_name,
        schedule.registry_position,
        schedule.rhythm_every,
        schedule.rhythm_description,
        expected.expected_by_date,
        expected.expected_period_date,
        expected.next_due_date,
        expected.late_since_date,
        last_delivery.last_delivery_date,
        last_delivery.last_period_date,
        judged_volume.period_date as judged_period_date,
        usual.usual_files,
        usual.usual_rows,
        {{ as_of_date() }} as as_of_date,
        coalesce(last_delivery.last_delivery_files, 0) as last_delivery_files,
        coalesce(last_delivery.last_delivery_rows, 0) as last_delivery_rows,
        coalesce(judged_volume.files, 0) as period_files,
        coalesce(judged_volume.rows_read, 0) as period_rows,
        coalesce(usual.usual_periods, 0) as usual_periods
    from schedule
    left join expected
        on
            schedule.source = expected.source
            and schedule.feed = expected.feed
    left join last_delivery
        on
            schedule.source = last_delivery.source
            and schedule.feed = last_delivery.feed
    left join judged_volume
        on
            schedule.source = judged_volume.source
            and schedule.feed = judged_volume.feed
    left join usual
        on
            schedule.source = usual.source
            and schedule.feed = usual.feed

),

judged as (

    select
        *,
        case
            when last_delivery_date is null then 'never_delivered'
            when rhythm_every is not null and last_period_date < expected_period_date then 'late'
            when
                usual_periods >= {{ usual_min_periods }}
                and (rhythm_every is not null or last_delivery_date = as_of_date)
                and (
                    period_rows * {{ small_factor }} < usual_rows
                    or period_files * {{ small_factor }} < usual_files
                )
                then 'small'
            when rhythm_every is null then 'no_rhythm'
            else 'on_time'
        end as status
    from measured

),

with_lateness as (

    select
        judged.*,
        case
            when judged.status in ('late', 'never_delivered') and judged.late_since_date is not null
                then as_of_day.business_day_index - late_since_day.business_day_index + 1
        end as business_days_late
    from judged
    inner join calendar as as_of_day
        on judged.as_of_date = as_of_day.calendar_date
    left join calendar as late_since_day
        on judged.late_since_date = late_since_day.calendar_date

),

final as (

    select
        feed_name,
        source,
        feed,
        registry_position,
        as_of_date,
        rhythm_description as rhythm,
        status,
        expected_by_date,
        next_due_date,
        late_since_date,
        business_days_late,
        last_delivery_date,
        last_delivery_files,
        last_delivery_rows,
        judged_period_date,
        period_files,
        period_rows,
        usual_files,
        usual_rows,
        usual_periods,
        case status
            when 'never_delivered'
                then
                    feed_name || ' has never delivered a file'
                    || case when rhythm_every is not null then ' (expected ' || rhythm_description || ')' else '' end
                    || '.'
            when 'late'
                then
                    feed_name || ' is late: nothing has come for the delivery due by '
                    || cast(late_since_date as varchar) || ' (' || rhythm_description || '); last delivery '
                    || cast(last_delivery_date as varchar) || ', ' || cast(business_days_late as varchar)
                    || case when business_days_late = 1 then ' business day' else ' business days' end
                    || ' late.'
            when 'small'
                then
                    feed_name || ' is unusually small: ' || cast(period_rows as varchar)
                    || case when period_rows = 1 then ' row in ' else ' rows in ' end
                    || cast(period_files as varchar) || case when period_files = 1 then ' file' else ' files' end
                    || ' for its period of ' || cast(judged_period_date as varchar) || ', against a usual '
                    || cast(usual_rows as varchar) || case when usual_rows = 1 then ' row in ' else ' rows in ' end
                    || cast(usual_files as varchar) || case when usual_files = 1 then ' file' else ' files' end
                    || ' (the median of its previous ' || cast(usual_periods as varchar) || ' periods).'
        end as warning
    from with_lateness

)

select * from final
