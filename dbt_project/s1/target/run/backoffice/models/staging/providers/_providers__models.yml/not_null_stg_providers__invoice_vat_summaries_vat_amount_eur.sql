
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select vat_amount_eur
from "wh"."staging"."stg_providers__invoice_vat_summaries"
where vat_amount_eur is null



  
  
      
    ) dbt_internal_test