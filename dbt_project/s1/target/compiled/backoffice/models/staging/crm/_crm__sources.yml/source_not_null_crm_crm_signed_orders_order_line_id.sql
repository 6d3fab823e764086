
    
    



select order_line_id
from "wh"."raw"."crm_signed_orders"
where order_line_id is null


