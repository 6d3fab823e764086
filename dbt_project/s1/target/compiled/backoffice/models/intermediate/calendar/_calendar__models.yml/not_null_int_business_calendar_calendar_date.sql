
    
    



select calendar_date
from "wh"."intermediate"."int_business_calendar"
where calendar_date is null


