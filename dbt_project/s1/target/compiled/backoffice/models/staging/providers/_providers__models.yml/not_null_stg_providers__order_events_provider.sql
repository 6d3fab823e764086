
    
    



select provider
from "wh"."staging"."stg_providers__order_events"
where provider is null


