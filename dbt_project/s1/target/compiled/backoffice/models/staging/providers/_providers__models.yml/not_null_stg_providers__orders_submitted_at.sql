
    
    



select submitted_at
from "wh"."staging"."stg_providers__orders"
where submitted_at is null


