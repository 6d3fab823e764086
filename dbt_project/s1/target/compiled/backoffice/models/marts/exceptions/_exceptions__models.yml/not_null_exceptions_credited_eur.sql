
    
    



select credited_eur
from "wh"."marts"."exceptions"
where credited_eur is null


