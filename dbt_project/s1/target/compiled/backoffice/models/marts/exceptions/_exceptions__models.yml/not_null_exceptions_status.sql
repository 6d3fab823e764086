
    
    



select status
from "wh"."marts"."exceptions"
where status is null


