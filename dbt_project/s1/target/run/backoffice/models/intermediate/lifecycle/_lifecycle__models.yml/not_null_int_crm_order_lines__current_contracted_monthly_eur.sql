
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select contracted_monthly_eur
from "wh"."intermediate"."int_crm_order_lines__current"
where contracted_monthly_eur is null



  
  
      
    ) dbt_internal_test