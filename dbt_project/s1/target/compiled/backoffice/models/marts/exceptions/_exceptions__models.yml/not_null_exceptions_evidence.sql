
    
    



select evidence
from "wh"."marts"."exceptions"
where evidence is null


