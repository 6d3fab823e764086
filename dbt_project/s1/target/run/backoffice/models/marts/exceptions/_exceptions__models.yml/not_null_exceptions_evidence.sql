
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select evidence
from "wh"."marts"."exceptions"
where evidence is null



  
  
      
    ) dbt_internal_test