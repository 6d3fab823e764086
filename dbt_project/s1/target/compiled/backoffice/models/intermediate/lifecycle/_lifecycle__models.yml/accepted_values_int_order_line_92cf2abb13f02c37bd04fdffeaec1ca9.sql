
    
    

with all_values as (

    select
        lifecycle_state as value_field,
        count(*) as n_records

    from "wh"."intermediate"."int_order_lines__lifecycle"
    group by lifecycle_state

)

select *
from all_values
where value_field not in (
    'NEVER_SUBMITTED','SUBMITTED','ACKNOWLEDGED','IN_PROGRESS','HELD','REJECTED','ACTIVE','TERMINATED'
)


