
    
    



select invoice_number
from "wh"."staging"."stg_providers__invoice_vat_summaries"
where invoice_number is null


