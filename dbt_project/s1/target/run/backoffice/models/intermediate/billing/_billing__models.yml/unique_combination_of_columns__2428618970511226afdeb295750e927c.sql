
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        provider, invoice_number,
        count(*) as n_records
    from "wh"."intermediate"."int_invoices__vat"
    group by provider, invoice_number
    having count(*) > 1

  
  
      
    ) dbt_internal_test