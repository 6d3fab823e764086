
    
    



select document_type
from "wh"."staging"."stg_providers__invoice_lines"
where document_type is null


