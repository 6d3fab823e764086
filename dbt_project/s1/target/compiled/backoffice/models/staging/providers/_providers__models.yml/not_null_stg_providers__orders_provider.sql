
    
    



select provider
from "wh"."staging"."stg_providers__orders"
where provider is null


