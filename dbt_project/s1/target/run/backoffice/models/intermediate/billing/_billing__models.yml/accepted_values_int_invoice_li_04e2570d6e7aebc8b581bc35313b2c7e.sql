
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        billing_exception_type as value_field,
        count(*) as n_records

    from "wh"."intermediate"."int_invoice_lines__judged"
    group by billing_exception_type

)

select *
from all_values
where value_field not in (
    'DUPLICATE_CHARGE','BILLED_NOT_ACTIVE','BILLED_AFTER_CANCELLATION','BILLED_BEFORE_ACTIVATION','PRICE_MISMATCH','QUANTITY_MISMATCH','PRORATA_ERROR'
)



  
  
      
    ) dbt_internal_test