
    
    



select state_at
from "wh"."staging"."stg_providers__order_events"
where state_at is null


