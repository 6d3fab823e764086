
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select amount_eur
from "wh"."marts"."exceptions"
where amount_eur is null



  
  
      
    ) dbt_internal_test