
    
    



select exception_type
from "wh"."marts"."exceptions"
where exception_type is null


