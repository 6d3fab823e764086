
    
    



select owner
from "wh"."marts"."exceptions"
where owner is null


