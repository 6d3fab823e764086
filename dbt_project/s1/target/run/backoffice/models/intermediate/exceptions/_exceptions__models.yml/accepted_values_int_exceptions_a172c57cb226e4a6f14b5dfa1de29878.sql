
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        exception_type as value_field,
        count(*) as n_records

    from "wh"."intermediate"."int_exceptions__billing_periods"
    group by exception_type

)

select *
from all_values
where value_field not in (
    'VAT_ERROR','ACTIVE_NOT_BILLED'
)



  
  
      
    ) dbt_internal_test