
    
    



select order_line_id
from "wh"."staging"."stg_providers__order_events"
where order_line_id is null


