
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select detected_on
from "wh"."marts"."exceptions"
where detected_on is null



  
  
      
    ) dbt_internal_test