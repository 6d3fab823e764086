
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    order_line_month_id as unique_field,
    count(*) as n_records

from "wh"."intermediate"."int_order_line_months__billing"
where order_line_month_id is not null
group by order_line_month_id
having count(*) > 1



  
  
      
    ) dbt_internal_test