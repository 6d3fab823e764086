
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        lifecycle_state as value_field,
        count(*) as n_records

    from "wh"."marts"."order_lines"
    group by lifecycle_state

)

select *
from all_values
where value_field not in (
    'NEVER_SUBMITTED','SUBMITTED','ACKNOWLEDGED','IN_PROGRESS','HELD','REJECTED','ACTIVE','TERMINATED'
)



  
  
      
    ) dbt_internal_test