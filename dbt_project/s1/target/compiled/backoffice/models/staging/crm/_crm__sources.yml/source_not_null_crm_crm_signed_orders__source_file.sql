
    
    



select _source_file
from "wh"."raw"."crm_signed_orders"
where _source_file is null


