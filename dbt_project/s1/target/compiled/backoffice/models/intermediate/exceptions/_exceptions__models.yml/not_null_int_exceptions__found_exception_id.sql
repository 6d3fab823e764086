
    
    



select exception_id
from "wh"."intermediate"."int_exceptions__found"
where exception_id is null


