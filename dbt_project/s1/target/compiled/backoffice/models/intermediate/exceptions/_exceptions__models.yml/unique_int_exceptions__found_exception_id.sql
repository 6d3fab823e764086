
    
    

select
    exception_id as unique_field,
    count(*) as n_records

from "wh"."intermediate"."int_exceptions__found"
where exception_id is not null
group by exception_id
having count(*) > 1


