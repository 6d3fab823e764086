
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select net_amount_eur
from "wh"."staging"."stg_providers__invoice_lines"
where net_amount_eur is null



  
  
      
    ) dbt_internal_test