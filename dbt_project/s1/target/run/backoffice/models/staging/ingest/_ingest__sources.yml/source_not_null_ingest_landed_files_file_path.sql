
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select file_path
from "wh"."raw"."landed_files"
where file_path is null



  
  
      
    ) dbt_internal_test