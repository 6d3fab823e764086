
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select order_line_id as from_field
    from "wh"."intermediate"."int_exceptions__lifecycle"
    where order_line_id is not null
),

parent as (
    select order_line_id as to_field
    from "wh"."intermediate"."int_order_lines__lifecycle"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test