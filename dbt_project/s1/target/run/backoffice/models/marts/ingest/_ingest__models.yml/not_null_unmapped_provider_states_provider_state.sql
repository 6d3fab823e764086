
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select provider_state
from "wh"."marts"."unmapped_provider_states"
where provider_state is null



  
  
      
    ) dbt_internal_test