
    
    

select
    holiday_name as unique_field,
    count(*) as n_records

from "wh"."staging"."italian_holidays"
where holiday_name is not null
group by holiday_name
having count(*) > 1


