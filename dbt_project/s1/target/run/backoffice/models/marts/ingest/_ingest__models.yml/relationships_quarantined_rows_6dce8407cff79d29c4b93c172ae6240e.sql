
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select source_file as from_field
    from "wh"."marts"."quarantined_rows"
    where source_file is not null
),

parent as (
    select file_path as to_field
    from "wh"."marts"."landed_files"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test