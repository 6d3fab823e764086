
    
    



select net_amount_eur
from "wh"."staging"."stg_providers__invoice_lines"
where net_amount_eur is null


