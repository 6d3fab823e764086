
    
    



select business_day_index
from "wh"."intermediate"."int_business_calendar"
where business_day_index is null


