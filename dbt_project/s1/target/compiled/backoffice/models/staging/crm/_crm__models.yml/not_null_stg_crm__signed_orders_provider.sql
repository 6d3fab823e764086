
    
    



select provider
from "wh"."staging"."stg_crm__signed_orders"
where provider is null


