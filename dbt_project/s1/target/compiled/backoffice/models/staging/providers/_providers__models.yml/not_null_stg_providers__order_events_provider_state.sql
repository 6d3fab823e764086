
    
    



select provider_state
from "wh"."staging"."stg_providers__order_events"
where provider_state is null


