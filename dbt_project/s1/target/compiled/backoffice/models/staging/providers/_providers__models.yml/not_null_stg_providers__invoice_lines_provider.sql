
    
    



select provider
from "wh"."staging"."stg_providers__invoice_lines"
where provider is null


