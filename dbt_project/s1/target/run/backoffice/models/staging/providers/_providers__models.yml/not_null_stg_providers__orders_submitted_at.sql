
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select submitted_at
from "wh"."staging"."stg_providers__orders"
where submitted_at is null



  
  
      
    ) dbt_internal_test