
    
    



select order_line_id
from "wh"."marts"."order_lines"
where order_line_id is null


