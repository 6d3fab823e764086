
    
    



select is_business_day
from "wh"."intermediate"."int_business_calendar"
where is_business_day is null


