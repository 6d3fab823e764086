
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select owner
from "wh"."marts"."exceptions"
where owner is null



  
  
      
    ) dbt_internal_test