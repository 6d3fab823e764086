
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select _source_file
from "wh"."raw"."crm_signed_orders"
where _source_file is null



  
  
      
    ) dbt_internal_test