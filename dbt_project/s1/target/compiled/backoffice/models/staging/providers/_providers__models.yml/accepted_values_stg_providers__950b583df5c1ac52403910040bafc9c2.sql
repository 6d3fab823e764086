
    
    

with all_values as (

    select
        document_type as value_field,
        count(*) as n_records

    from "wh"."staging"."stg_providers__invoice_lines"
    group by document_type

)

select *
from all_values
where value_field not in (
    'TD01','TD04'
)


