
    
    



select judgement
from "wh"."marts"."invoice_lines"
where judgement is null


