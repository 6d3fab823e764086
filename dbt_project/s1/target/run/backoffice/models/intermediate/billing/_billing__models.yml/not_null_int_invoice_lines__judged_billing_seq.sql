
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select billing_seq
from "wh"."intermediate"."int_invoice_lines__judged"
where billing_seq is null



  
  
      
    ) dbt_internal_test