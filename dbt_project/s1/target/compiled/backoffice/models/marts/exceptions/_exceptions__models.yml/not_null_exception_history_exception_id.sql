
    
    



select exception_id
from "wh"."marts"."exception_history"
where exception_id is null


