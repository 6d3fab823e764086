
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        exception_type as value_field,
        count(*) as n_records

    from "wh"."marts"."exceptions"
    group by exception_type

)

select *
from all_values
where value_field not in (
    'ORDER_NOT_SUBMITTED','ORDER_STUCK','ORDER_REJECTED','ORDER_ENTRY_MISMATCH','DUPLICATE_CHARGE','BILLED_NOT_ACTIVE','BILLED_AFTER_CANCELLATION','BILLED_BEFORE_ACTIVATION','PRICE_MISMATCH','QUANTITY_MISMATCH','PRORATA_ERROR','VAT_ERROR','ACTIVE_NOT_BILLED','UNMATCHED_CREDIT'
)



  
  
      
    ) dbt_internal_test