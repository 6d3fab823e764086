
    
    



select lifecycle_state
from "wh"."intermediate"."int_order_lines__lifecycle"
where lifecycle_state is null


