
    
    



select provider
from "wh"."marts"."exceptions"
where provider is null


