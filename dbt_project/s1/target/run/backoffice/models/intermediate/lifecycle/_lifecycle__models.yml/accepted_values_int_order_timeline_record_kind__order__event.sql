
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        record_kind as value_field,
        count(*) as n_records

    from "wh"."intermediate"."int_order_timeline"
    group by record_kind

)

select *
from all_values
where value_field not in (
    'order','event'
)



  
  
      
    ) dbt_internal_test