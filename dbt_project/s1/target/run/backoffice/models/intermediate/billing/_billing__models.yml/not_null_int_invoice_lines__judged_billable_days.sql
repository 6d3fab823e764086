
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select billable_days
from "wh"."intermediate"."int_invoice_lines__judged"
where billable_days is null



  
  
      
    ) dbt_internal_test