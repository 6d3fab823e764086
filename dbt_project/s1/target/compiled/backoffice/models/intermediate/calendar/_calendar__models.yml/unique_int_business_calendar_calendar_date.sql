
    
    

select
    calendar_date as unique_field,
    count(*) as n_records

from "wh"."intermediate"."int_business_calendar"
where calendar_date is not null
group by calendar_date
having count(*) > 1


