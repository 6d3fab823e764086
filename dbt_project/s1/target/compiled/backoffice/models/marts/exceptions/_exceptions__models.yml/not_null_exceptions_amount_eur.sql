
    
    



select amount_eur
from "wh"."marts"."exceptions"
where amount_eur is null


