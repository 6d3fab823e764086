
    
    



select lifecycle_state
from "wh"."staging"."lifecycle_slas"
where lifecycle_state is null


