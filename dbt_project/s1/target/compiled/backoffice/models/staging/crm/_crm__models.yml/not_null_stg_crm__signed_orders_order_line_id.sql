
    
    



select order_line_id
from "wh"."staging"."stg_crm__signed_orders"
where order_line_id is null


