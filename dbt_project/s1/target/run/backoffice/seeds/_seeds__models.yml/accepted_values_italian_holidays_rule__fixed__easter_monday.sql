
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        rule as value_field,
        count(*) as n_records

    from "wh"."staging"."italian_holidays"
    group by rule

)

select *
from all_values
where value_field not in (
    'fixed','easter_monday'
)



  
  
      
    ) dbt_internal_test