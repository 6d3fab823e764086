
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select timeline_record_id
from "wh"."intermediate"."int_order_timeline"
where timeline_record_id is null



  
  
      
    ) dbt_internal_test