
    
    

with all_values as (

    select
        severity as value_field,
        count(*) as n_records

    from "wh"."marts"."exceptions"
    group by severity

)

select *
from all_values
where value_field not in (
    'high','medium','low'
)


