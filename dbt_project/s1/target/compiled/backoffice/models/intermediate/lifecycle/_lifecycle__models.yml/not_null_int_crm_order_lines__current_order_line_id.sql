
    
    



select order_line_id
from "wh"."intermediate"."int_crm_order_lines__current"
where order_line_id is null


