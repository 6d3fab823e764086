
    
    



select canonical_state
from "wh"."intermediate"."int_order_timeline"
where canonical_state is null


