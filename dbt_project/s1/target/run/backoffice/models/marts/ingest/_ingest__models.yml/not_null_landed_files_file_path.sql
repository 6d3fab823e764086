
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select file_path
from "wh"."marts"."landed_files"
where file_path is null



  
  
      
    ) dbt_internal_test