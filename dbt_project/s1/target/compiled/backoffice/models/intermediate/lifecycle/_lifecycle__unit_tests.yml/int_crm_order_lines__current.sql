
-- Fixture for int_crm_order_lines__current
select 
    
    cast('A' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", 
    
    cast('2026-03-27' as DATE)
 as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as BIGINT) as "versions_count", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row"
union all
select 
    
    cast('B' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", 
    
    cast('2026-04-02' as DATE)
 as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as BIGINT) as "versions_count", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row"
union all
select 
    
    cast('C' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", 
    
    cast('2026-03-27' as DATE)
 as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as BIGINT) as "versions_count", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row"
union all
select 
    
    cast('D' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", 
    
    cast('2026-03-27' as DATE)
 as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as BIGINT) as "versions_count", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row"
union all
select 
    
    cast('E' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", 
    
    cast('2026-03-27' as DATE)
 as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as BIGINT) as "versions_count", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row"
union all
select 
    
    cast('F' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", 
    
    cast('2026-03-27' as DATE)
 as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as BIGINT) as "versions_count", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row"