
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select source_row
from "wh"."marts"."exceptions"
where source_row is null



  
  
      
    ) dbt_internal_test