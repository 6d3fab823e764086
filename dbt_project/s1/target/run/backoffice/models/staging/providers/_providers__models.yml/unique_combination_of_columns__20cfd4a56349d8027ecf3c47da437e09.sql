
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        source_file, source_row,
        count(*) as n_records
    from "wh"."staging"."stg_providers__invoice_lines"
    group by source_file, source_row
    having count(*) > 1

  
  
      
    ) dbt_internal_test