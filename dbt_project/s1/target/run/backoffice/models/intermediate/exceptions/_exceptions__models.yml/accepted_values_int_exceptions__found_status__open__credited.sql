
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "wh"."intermediate"."int_exceptions__found"
    group by status

)

select *
from all_values
where value_field not in (
    'open','credited'
)



  
  
      
    ) dbt_internal_test