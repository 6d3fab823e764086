
    
    



select detected_on
from "wh"."marts"."exceptions"
where detected_on is null


