
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select provider
from "wh"."staging"."stg_providers__invoice_lines"
where provider is null



  
  
      
    ) dbt_internal_test