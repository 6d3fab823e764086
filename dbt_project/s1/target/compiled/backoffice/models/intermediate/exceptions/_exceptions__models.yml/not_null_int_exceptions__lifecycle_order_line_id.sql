
    
    



select order_line_id
from "wh"."intermediate"."int_exceptions__lifecycle"
where order_line_id is null


