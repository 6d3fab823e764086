
    
    



select exception_type
from "wh"."staging"."lifecycle_slas"
where exception_type is null


