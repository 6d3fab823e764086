
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select calendar_date
from "wh"."intermediate"."int_business_calendar"
where calendar_date is null



  
  
      
    ) dbt_internal_test