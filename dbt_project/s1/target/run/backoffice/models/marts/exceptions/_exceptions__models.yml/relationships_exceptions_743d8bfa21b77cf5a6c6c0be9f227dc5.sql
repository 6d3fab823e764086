
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select order_line_id as from_field
    from (select * from "wh"."marts"."exceptions" where exception_type like 'ORDER_%' and status != 'resolved') dbt_subquery
    where order_line_id is not null
),

parent as (
    select order_line_id as to_field
    from "wh"."marts"."order_lines"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test