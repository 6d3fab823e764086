
    
    

with all_values as (

    select
        owner as value_field,
        count(*) as n_records

    from "wh"."marts"."exceptions"
    group by owner

)

select *
from all_values
where value_field not in (
    'back_office','provider_billing','customer_care'
)


