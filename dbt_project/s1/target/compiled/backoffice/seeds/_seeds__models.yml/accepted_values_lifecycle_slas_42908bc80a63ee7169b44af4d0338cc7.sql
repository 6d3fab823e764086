
    
    

with all_values as (

    select
        exception_type as value_field,
        count(*) as n_records

    from "wh"."staging"."lifecycle_slas"
    group by exception_type

)

select *
from all_values
where value_field not in (
    'ORDER_NOT_SUBMITTED','ORDER_STUCK','ORDER_REJECTED'
)


