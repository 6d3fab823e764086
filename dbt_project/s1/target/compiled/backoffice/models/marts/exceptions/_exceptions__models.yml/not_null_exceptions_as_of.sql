
    
    



select as_of
from "wh"."marts"."exceptions"
where as_of is null


