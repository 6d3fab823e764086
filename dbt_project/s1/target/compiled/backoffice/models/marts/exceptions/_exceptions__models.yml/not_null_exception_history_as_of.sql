
    
    



select as_of
from "wh"."marts"."exception_history"
where as_of is null


