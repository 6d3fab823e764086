
    
    



select billable_days
from "wh"."intermediate"."int_invoice_lines__judged"
where billable_days is null


