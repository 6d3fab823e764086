
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_business_day
from "wh"."intermediate"."int_business_calendar"
where is_business_day is null



  
  
      
    ) dbt_internal_test