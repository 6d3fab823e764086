
    
    



select order_line_id
from "wh"."intermediate"."int_order_line_months__billing"
where order_line_id is null


