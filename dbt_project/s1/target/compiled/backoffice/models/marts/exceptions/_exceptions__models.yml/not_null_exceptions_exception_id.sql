
    
    



select exception_id
from "wh"."marts"."exceptions"
where exception_id is null


