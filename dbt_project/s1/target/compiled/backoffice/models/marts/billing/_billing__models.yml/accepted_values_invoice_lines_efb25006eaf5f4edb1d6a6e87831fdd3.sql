
    
    

with all_values as (

    select
        judgement as value_field,
        count(*) as n_records

    from "wh"."marts"."invoice_lines"
    group by judgement

)

select *
from all_values
where value_field not in (
    'ok','exception','credits_exception','unmatched_credit','not_judged'
)


