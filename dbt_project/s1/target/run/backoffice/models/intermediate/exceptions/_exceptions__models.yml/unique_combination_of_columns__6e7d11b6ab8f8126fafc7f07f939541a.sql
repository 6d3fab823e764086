
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        exception_type, order_line_id,
        count(*) as n_records
    from "wh"."intermediate"."int_exceptions__lifecycle"
    group by exception_type, order_line_id
    having count(*) > 1

  
  
      
    ) dbt_internal_test