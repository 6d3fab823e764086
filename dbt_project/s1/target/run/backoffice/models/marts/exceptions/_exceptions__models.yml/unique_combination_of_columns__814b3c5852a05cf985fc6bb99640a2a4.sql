
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        as_of, exception_id,
        count(*) as n_records
    from "wh"."marts"."exception_history"
    group by as_of, exception_id
    having count(*) > 1

  
  
      
    ) dbt_internal_test