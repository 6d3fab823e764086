
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sla_business_days
from "wh"."staging"."lifecycle_slas"
where sla_business_days is null



  
  
      
    ) dbt_internal_test