
    
    



select sla_business_days
from "wh"."staging"."lifecycle_slas"
where sla_business_days is null


