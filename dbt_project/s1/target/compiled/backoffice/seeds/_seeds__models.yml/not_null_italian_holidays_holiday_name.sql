
    
    



select holiday_name
from "wh"."staging"."italian_holidays"
where holiday_name is null


