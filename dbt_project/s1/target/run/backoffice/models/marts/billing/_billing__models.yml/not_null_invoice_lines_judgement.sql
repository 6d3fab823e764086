
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select judgement
from "wh"."marts"."invoice_lines"
where judgement is null



  
  
      
    ) dbt_internal_test