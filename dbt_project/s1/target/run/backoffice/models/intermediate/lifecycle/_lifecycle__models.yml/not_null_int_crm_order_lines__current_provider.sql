
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select provider
from "wh"."intermediate"."int_crm_order_lines__current"
where provider is null



  
  
      
    ) dbt_internal_test