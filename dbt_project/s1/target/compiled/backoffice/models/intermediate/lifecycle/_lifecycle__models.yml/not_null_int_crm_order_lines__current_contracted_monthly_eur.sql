
    
    



select contracted_monthly_eur
from "wh"."intermediate"."int_crm_order_lines__current"
where contracted_monthly_eur is null


