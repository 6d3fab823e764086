
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        provider, provider_state,
        count(*) as n_records
    from "wh"."staging"."stg_ingest__state_map"
    group by provider, provider_state
    having count(*) > 1

  
  
      
    ) dbt_internal_test