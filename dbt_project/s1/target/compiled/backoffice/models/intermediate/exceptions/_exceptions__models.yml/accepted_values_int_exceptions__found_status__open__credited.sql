
    
    

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


