
    
    



select invoice_number
from "wh"."staging"."stg_providers__invoice_lines"
where invoice_number is null


