
    
    



select is_vat_error
from "wh"."intermediate"."int_invoices__vat"
where is_vat_error is null


