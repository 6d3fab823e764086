
    
    



select order_line_id
from "wh"."intermediate"."int_order_timeline"
where order_line_id is null


