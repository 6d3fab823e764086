
    
    



select timeline_record_id
from "wh"."intermediate"."int_order_timeline"
where timeline_record_id is null


