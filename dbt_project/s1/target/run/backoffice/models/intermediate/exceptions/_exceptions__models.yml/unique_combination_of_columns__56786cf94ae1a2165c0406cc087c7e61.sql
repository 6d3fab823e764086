
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        provider, invoice_number, invoice_line,
        count(*) as n_records
    from "wh"."intermediate"."int_exceptions__billing_lines"
    group by provider, invoice_number, invoice_line
    having count(*) > 1

  
  
      
    ) dbt_internal_test