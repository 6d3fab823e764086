
    
    

select
    billing_seq as unique_field,
    count(*) as n_records

from "wh"."intermediate"."int_invoice_lines__judged"
where billing_seq is not null
group by billing_seq
having count(*) > 1


