
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_vat_error
from "wh"."intermediate"."int_invoices__vat"
where is_vat_error is null



  
  
      
    ) dbt_internal_test