
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select business_day_index
from "wh"."intermediate"."int_business_calendar"
where business_day_index is null



  
  
      
    ) dbt_internal_test