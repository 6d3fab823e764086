
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select rule
from "wh"."staging"."italian_holidays"
where rule is null



  
  
      
    ) dbt_internal_test