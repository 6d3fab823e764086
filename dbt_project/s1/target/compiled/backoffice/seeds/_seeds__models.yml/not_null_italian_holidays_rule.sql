
    
    



select rule
from "wh"."staging"."italian_holidays"
where rule is null


