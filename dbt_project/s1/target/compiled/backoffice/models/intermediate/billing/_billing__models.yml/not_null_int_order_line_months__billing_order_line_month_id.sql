
    
    



select order_line_month_id
from "wh"."intermediate"."int_order_line_months__billing"
where order_line_month_id is null


