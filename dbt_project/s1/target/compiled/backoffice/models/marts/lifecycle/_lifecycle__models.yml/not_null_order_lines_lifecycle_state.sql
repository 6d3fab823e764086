
    
    



select lifecycle_state
from "wh"."marts"."order_lines"
where lifecycle_state is null


