
    
    



select vat_amount_eur
from "wh"."staging"."stg_providers__invoice_vat_summaries"
where vat_amount_eur is null


