insert into "wh"."marts"."exception_history" ("as_of", "exception_id", "exception_type", "status", "provider", "customer_vat", "order_id", "order_line_id", "invoice_number", "invoice_line", "period_month", "age_business_days", "sla_business_days", "amount_eur", "credited_eur", "severity", "owner", "evidence", "source_file", "source_row")
    (
        select "as_of", "exception_id", "exception_type", "status", "provider", "customer_vat", "order_id", "order_line_id", "invoice_number", "invoice_line", "period_month", "age_business_days", "sla_business_days", "amount_eur", "credited_eur", "severity", "owner", "evidence", "source_file", "source_row"
        from "exception_history__dbt_tmp20261127091116939550"
    )


  