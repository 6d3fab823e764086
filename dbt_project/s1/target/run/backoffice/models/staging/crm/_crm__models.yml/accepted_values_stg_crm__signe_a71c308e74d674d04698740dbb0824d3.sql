
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        line_status as value_field,
        count(*) as n_records

    from "wh"."staging"."stg_crm__signed_orders"
    group by line_status

)

select *
from all_values
where value_field not in (
    'signed','cancelled'
)



  
  
      
    ) dbt_internal_test