
    
    

select
    lifecycle_state as unique_field,
    count(*) as n_records

from "wh"."staging"."lifecycle_slas"
where lifecycle_state is not null
group by lifecycle_state
having count(*) > 1


