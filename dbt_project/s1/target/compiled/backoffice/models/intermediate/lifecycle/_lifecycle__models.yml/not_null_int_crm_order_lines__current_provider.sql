
    
    



select provider
from "wh"."intermediate"."int_crm_order_lines__current"
where provider is null


