
    
    



select order_line_id
from "wh"."intermediate"."int_order_lines__lifecycle"
where order_line_id is null


