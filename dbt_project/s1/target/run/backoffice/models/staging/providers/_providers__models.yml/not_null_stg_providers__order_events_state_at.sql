
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select state_at
from "wh"."staging"."stg_providers__order_events"
where state_at is null



  
  
      
    ) dbt_internal_test