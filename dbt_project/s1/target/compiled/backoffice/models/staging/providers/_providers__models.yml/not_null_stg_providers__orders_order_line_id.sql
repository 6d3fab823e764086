
    
    



select order_line_id
from "wh"."staging"."stg_providers__orders"
where order_line_id is null


