
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        source_file, source_row, order_line_id,
        count(*) as n_records
    from "wh"."intermediate"."int_unmapped_provider_states"
    group by source_file, source_row, order_line_id
    having count(*) > 1

  
  
      
    ) dbt_internal_test