
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select canonical_state
from "wh"."intermediate"."int_order_timeline"
where canonical_state is null



  
  
      
    ) dbt_internal_test