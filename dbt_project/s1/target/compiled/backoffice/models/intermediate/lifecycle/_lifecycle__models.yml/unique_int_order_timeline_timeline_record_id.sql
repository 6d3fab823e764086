
    
    

select
    timeline_record_id as unique_field,
    count(*) as n_records

from "wh"."intermediate"."int_order_timeline"
where timeline_record_id is not null
group by timeline_record_id
having count(*) > 1


