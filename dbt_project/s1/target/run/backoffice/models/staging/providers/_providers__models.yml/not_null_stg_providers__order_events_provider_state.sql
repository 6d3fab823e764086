
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select provider_state
from "wh"."staging"."stg_providers__order_events"
where provider_state is null



  
  
      
    ) dbt_internal_test