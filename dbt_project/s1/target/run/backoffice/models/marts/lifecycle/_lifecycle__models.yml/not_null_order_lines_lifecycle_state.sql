
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select lifecycle_state
from "wh"."marts"."order_lines"
where lifecycle_state is null



  
  
      
    ) dbt_internal_test