
    
    



select billing_seq
from "wh"."intermediate"."int_invoice_lines__judged"
where billing_seq is null


