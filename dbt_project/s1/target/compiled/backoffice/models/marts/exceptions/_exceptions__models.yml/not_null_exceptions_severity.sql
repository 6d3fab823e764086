
    
    



select severity
from "wh"."marts"."exceptions"
where severity is null


