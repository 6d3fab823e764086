
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select provider
from "wh"."staging"."stg_crm__signed_orders"
where provider is null



  
  
      
    ) dbt_internal_test