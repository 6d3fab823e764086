
    
    

select
    order_line_id as unique_field,
    count(*) as n_records

from "wh"."intermediate"."int_order_lines__lifecycle"
where order_line_id is not null
group by order_line_id
having count(*) > 1


