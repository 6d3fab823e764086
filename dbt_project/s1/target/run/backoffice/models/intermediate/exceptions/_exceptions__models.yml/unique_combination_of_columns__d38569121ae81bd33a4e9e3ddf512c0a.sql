
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        exception_type, provider, invoice_number, order_line_id, period_month,
        count(*) as n_records
    from "wh"."intermediate"."int_exceptions__billing_periods"
    group by exception_type, provider, invoice_number, order_line_id, period_month
    having count(*) > 1

  
  
      
    ) dbt_internal_test