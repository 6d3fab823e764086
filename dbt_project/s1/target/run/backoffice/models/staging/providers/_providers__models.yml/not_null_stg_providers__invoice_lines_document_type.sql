
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select document_type
from "wh"."staging"."stg_providers__invoice_lines"
where document_type is null



  
  
      
    ) dbt_internal_test