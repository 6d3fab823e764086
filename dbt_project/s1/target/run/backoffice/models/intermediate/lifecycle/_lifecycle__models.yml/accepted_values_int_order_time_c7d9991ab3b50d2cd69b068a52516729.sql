
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        canonical_state as value_field,
        count(*) as n_records

    from "wh"."intermediate"."int_order_timeline"
    group by canonical_state

)

select *
from all_values
where value_field not in (
    'SUBMITTED','ACKNOWLEDGED','IN_PROGRESS','HELD','REJECTED','ACTIVE','TERMINATED'
)



  
  
      
    ) dbt_internal_test