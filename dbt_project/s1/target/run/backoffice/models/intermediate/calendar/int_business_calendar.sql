
    

    create  table
      "wh"."intermediate"."int_business_calendar__dbt_tmp"
  
    
    as (
      with

holidays as (

    select * from "wh"."staging"."italian_holidays"

),

spine as (

    select
        cast(
            unnest(generate_series(
                cast('2020-01-01' as date),
                cast('2040-12-31' as date),
                interval 1 day
            )) as date
        ) as calendar_date

),

years as (

    select distinct year(calendar_date) as calendar_year
    from spine

),

-- Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
easter_terms as (

    select
        calendar_year,
        calendar_year % 19 as a,
        calendar_year // 100 as b,
        calendar_year % 100 as c
    from years

),

easter_terms_2 as (

    select
        calendar_year,
        a,
        b,
        c,
        b // 4 as d,
        b % 4 as e,
        (b + 8) // 25 as f,
        c // 4 as i,
        c % 4 as k
    from easter_terms

),

easter_terms_3 as (

    select
        calendar_year,
        a,
        e,
        i,
        k,
        (19 * a + b - d - ((b - f + 1) // 3) + 15) % 30 as h
    from easter_terms_2

),

easter_terms_4 as (

    select
        calendar_year,
        a,
        h,
        (32 + 2 * e + 2 * i - h - k) % 7 as l
    from easter_terms_3

),

easter_sundays as (

    select
        calendar_year,
        make_date(
            calendar_year,
            (h + l - 7 * ((a + 11 * h + 22 * l) // 451) + 114) // 31,
            ((h + l - 7 * ((a + 11 * h + 22 * l) // 451) + 114) % 31) + 1
        ) as easter_sunday_date
    from easter_terms_4

),

holiday_dates as (

    select
        make_date(years.calendar_year, holidays.holiday_month, holidays.holiday_day) as holiday_date,
        holidays.holiday_name
    from holidays
    cross join years
    where
        holidays.rule = 'fixed'
        and years.calendar_year >= coalesce(holidays.valid_from_year, years.calendar_year)
        and years.calendar_year <= coalesce(holidays.valid_to_year, years.calendar_year)

    union all

    select
        cast(easter_sundays.easter_sunday_date + interval 1 day as date) as holiday_date,
        holidays.holiday_name
    from holidays
    cross join easter_sundays
    where
        holidays.rule = 'easter_monday'
        and easter_sundays.calendar_year >= coalesce(holidays.valid_from_year, easter_sundays.calendar_year)
        and easter_sundays.calendar_year <= coalesce(holidays.valid_to_year, easter_sundays.calendar_year)

),

holidays_by_date as (

    select
        holiday_date,
        string_agg(holiday_name, ', ' order by holiday_name) as holiday_name
    from holiday_dates
    group by holiday_date

),

days as (

    select
        spine.calendar_date,
        holidays_by_date.holiday_name,
        isodow(spine.calendar_date) as iso_day_of_week,
        holidays_by_date.holiday_date is not null as is_holiday,
        isodow(spine.calendar_date) <= 5 and holidays_by_date.holiday_date is null as is_business_day
    from spine
    left join holidays_by_date
        on spine.calendar_date = holidays_by_date.holiday_date

),

indexed as (

    select
        calendar_date,
        iso_day_of_week,
        is_holiday,
        holiday_name,
        is_business_day,
        cast(
            sum(case when is_business_day then 1 else 0 end)
                over (order by calendar_date rows between unbounded preceding and current row)
            as integer
        ) as business_day_index
    from days

)

select * from indexed
    );
    
  