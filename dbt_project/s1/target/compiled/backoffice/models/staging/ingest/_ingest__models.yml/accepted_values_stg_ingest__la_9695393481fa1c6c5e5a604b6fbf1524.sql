
    
    

with all_values as (

    select
        load_status as value_field,
        count(*) as n_records

    from "wh"."staging"."stg_ingest__landed_files"
    group by load_status

)

select *
from all_values
where value_field not in (
    'loaded','redelivery','unreadable'
)


