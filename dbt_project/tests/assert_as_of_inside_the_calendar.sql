-- The business calendar must cover the run's date and every date it ages
-- from: outside it business_days() is null and no SLA control could fire.
with

calendar as (

    select * from {{ ref('int_business_calendar') }}

),

order_lines as (

    select * from {{ ref('int_order_lines__lifecycle') }}

),

needed_dates as (

    select {{ as_of_date() }} as needed_date
    union all
    select min(signed_date) as needed_date from order_lines

)

select needed_dates.needed_date
from needed_dates
left join calendar
    on needed_dates.needed_date = calendar.calendar_date
where
    needed_dates.needed_date is not null
    and calendar.calendar_date is null
