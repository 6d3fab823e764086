
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select canonical_state
from "wh"."staging"."stg_ingest__state_map"
where canonical_state is null



  
  
      
    ) dbt_internal_test