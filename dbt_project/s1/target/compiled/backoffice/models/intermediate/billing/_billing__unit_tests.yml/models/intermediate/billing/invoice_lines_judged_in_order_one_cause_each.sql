with

 __dbt__cte__stg_providers__invoice_lines as (

-- Fixture for stg_providers__invoice_lines
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A9' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-03-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-02-01' as DATE)
 as "period_start_date", 
    
    cast('2026-02-28' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a9.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A10' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-03-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-02-01' as DATE)
 as "period_start_date", 
    
    cast('2026-02-28' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a10.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A10' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-03-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('2' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-02-10' as DATE)
 as "period_start_date", 
    
    cast('2026-02-12' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('10.71' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a10.xml' as character varying)
 as "source_file", 
    
    cast('1/2' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A11' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-02-28' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-01-01' as DATE)
 as "period_start_date", 
    
    cast('2026-01-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a11.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A12' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a12.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A13' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-02' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-15' as DATE)
 as "period_start_date", 
    
    cast('2026-03-20' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('19.35' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a13.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A20' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-30' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-04-01' as DATE)
 as "period_start_date", 
    
    cast('2026-04-30' as DATE)
 as "period_end_date", 
    
    cast('100.01' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100.01' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a20.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A30' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-30' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L2' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-04-01' as DATE)
 as "period_start_date", 
    
    cast('2026-04-30' as DATE)
 as "period_end_date", 
    
    cast('1.55' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('0.78' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a30.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A31' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-30' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L3' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-04-01' as DATE)
 as "period_start_date", 
    
    cast('2026-04-30' as DATE)
 as "period_end_date", 
    
    cast('50' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('50' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a31.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A32' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-03-15' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L4' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a32.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A33' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L5' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a33.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A34' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L6' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a34.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A35' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L7' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('3' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('10' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('30' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a35.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A36' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L8' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('95' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a36.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A37' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L9' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('12' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('12' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a37.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('A38' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('X1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('7' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('7' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('a38.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('nuvola' as character varying)
 as "provider", 
    
    cast('N1' as character varying)
 as "invoice_number", 
    
    cast('TD01' as character varying)
 as "document_type", 
    
    cast('2026-04-01' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('n1.csv' as character varying)
 as "source_file", 
    
    cast('1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('C1' as character varying)
 as "invoice_number", 
    
    cast('TD04' as character varying)
 as "document_type", 
    
    cast('2026-04-05' as DATE)
 as "invoice_date", cast(null as character varying(256)) as "related_invoice_number", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "currency", 
    
    cast('1' as INTEGER)
 as "body_number", 
    
    cast('1' as INTEGER)
 as "line_number", 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as DECIMAL(18,8))
 as "quantity", 
    
    cast('2026-03-01' as DATE)
 as "period_start_date", 
    
    cast('2026-03-31' as DATE)
 as "period_end_date", 
    
    cast('100' as DECIMAL(18,8))
 as "unit_price_eur", 
    
    cast('100' as DECIMAL(18,8))
 as "net_amount_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DECIMAL(18,8)) as "vat_amount_eur", 
    
    cast('c1.xml' as character varying)
 as "source_file", 
    
    cast('1/1' as character varying)
 as "source_row", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
),  __dbt__cte__int_order_lines__lifecycle as (

-- Fixture for int_order_lines__lifecycle
select 
    
    cast('L1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(100.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(100.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-02-01' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L2' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(1.55 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(1.55 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-04-16' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L3' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('nuvola' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(50.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(50.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-02-01' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L4' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(100.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(100.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-03-20' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L5' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(100.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(100.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-02-01' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", 
    
    cast('2026-03-15' as DATE)
 as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L6' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(100.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(100.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-03-10' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L7' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(2 as INTEGER)
 as "quantity", 
    
    cast(10.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(20.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-02-01' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L8' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(100.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(100.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-02-01' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('L9' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(10.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast(10.0 as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", cast(null as character varying(256)) as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", cast(null as character varying(256)) as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", 
    
    cast('2026-02-01' as DATE)
 as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", cast(null as BIGINT) as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
), invoice_lines as (

    select * from __dbt__cte__stg_providers__invoice_lines

),

order_lines as (

    select * from __dbt__cte__int_order_lines__lifecycle

),

charges as (

    select
        *,
        row_number() over (
            order by
                provider,
                invoice_date,
                invoice_number,
                body_number,
                line_number,
                source_file,
                source_row
        ) as billing_seq
    from invoice_lines
    where document_type = 'TD01'

),

-- 1. An earlier TD01 line of the same provider for the same order line whose
-- period overlaps: earlier is an earlier invoice date, or the same date and
-- an invoice number that sorts first as text, or the same invoice and a
-- smaller line number (billing_seq orders exactly so).
duplicates as (

    select
        later.billing_seq,
        min(earlier.billing_seq) as duplicate_of_billing_seq
    from charges as later
    inner join charges as earlier
        on
            later.provider = earlier.provider
            and later.order_line_id = earlier.order_line_id
            and later.billing_seq > earlier.billing_seq
            and later.period_end_date >= earlier.period_start_date
            and later.period_start_date <= earlier.period_end_date
    group by later.billing_seq

),

with_contract as (

    select
        charges.*,
        duplicates.duplicate_of_billing_seq,
        order_lines.order_line_id is not null as is_in_crm_for_provider,
        crm_any_provider.order_id,
        crm_any_provider.customer_vat as crm_customer_vat,
        order_lines.quantity as crm_quantity,
        order_lines.unit_price_eur as crm_unit_price_eur,
        order_lines.contracted_monthly_eur,
        order_lines.vat_rate as crm_vat_rate,
        order_lines.activation_date,
        order_lines.termination_date,
        crm_any_provider.provider as crm_provider,
        day(last_day(charges.period_start_date)) as days_in_month
    from charges
    left join duplicates
        on charges.billing_seq = duplicates.billing_seq
    left join order_lines
        on
            charges.order_line_id = order_lines.order_line_id
            and charges.provider = order_lines.provider
    left join order_lines as crm_any_provider
        on charges.order_line_id = crm_any_provider.order_line_id

),

-- A day is billable when the line is active on it: on or after the
-- activation date and before the termination date.
billable as (

    select
        *,
        case
            when activation_date is null then 0
            else greatest(
                0,
                datediff(
                    'day',
                    greatest(period_start_date, activation_date),
                    least(period_end_date, coalesce(cast(termination_date - interval 1 day as date), period_end_date))
                ) + 1
            )
        end as billable_days
    from with_contract

),

expected as (

    select
        *,
        cast(round(net_amount_eur, 2) as decimal(18, 2)) as billed_eur,
        case
            when is_in_crm_for_provider
                then (
        cast(
            sign(cast(contracted_monthly_eur * billable_days as decimal(38, 8)))
            * (
                (
                    2 * abs(cast(cast(contracted_monthly_eur * billable_days as decimal(38, 8)) * 100000000 as hugeint))
                    + cast(days_in_month as hugeint) * 1000000
                )
                // (2 * cast(days_in_month as hugeint) * 1000000)
            )
            as decimal(18, 0)
        ) * cast(0.01 as decimal(3, 2))
    )
        end as expected_eur
    from billable

),

differences as (

    select
        *,
        net_amount_eur - expected_eur as difference_eur
    from expected

),

judged as (

    select
        *,
        case
            when duplicate_of_billing_seq is not null then 'DUPLICATE_CHARGE'
            when
                not is_in_crm_for_provider
                or activation_date is null
                or activation_date > invoice_date
                then 'BILLED_NOT_ACTIVE'
            when abs(difference_eur) <= cast('0.01' as decimal(18, 4)) then null
            when termination_date is not null and period_end_date >= termination_date
                then 'BILLED_AFTER_CANCELLATION'
            when period_start_date < activation_date then 'BILLED_BEFORE_ACTIVATION'
            when abs(unit_price_eur - crm_unit_price_eur) > cast('0.005' as decimal(18, 4))
                then 'PRICE_MISMATCH'
            when quantity != crm_quantity then 'QUANTITY_MISMATCH'
            else 'PRORATA_ERROR'
        end as billing_exception_type
    from differences

),

final as (

    select
        judged.provider,
        judged.invoice_number,
        judged.document_type,
        judged.invoice_date,
        judged.customer_vat,
        judged.body_number,
        judged.line_number,
        judged.billing_seq,
        judged.order_line_id,
        judged.order_id,
        judged.crm_customer_vat,
        judged.crm_provider,
        judged.is_in_crm_for_provider,
        judged.sku,
        judged.quantity,
        judged.crm_quantity,
        judged.unit_price_eur,
        judged.crm_unit_price_eur,
        judged.contracted_monthly_eur,
        judged.vat_rate,
        judged.crm_vat_rate,
        judged.period_start_date,
        judged.period_end_date,
        judged.activation_date,
        judged.termination_date,
        judged.days_in_month,
        judged.billable_days,
        judged.net_amount_eur,
        judged.vat_amount_eur,
        judged.billed_eur,
        judged.expected_eur,
        cast(round(judged.difference_eur, 2) as decimal(18, 2)) as difference_eur,
        duplicate_of.invoice_number as duplicate_of_invoice_number,
        duplicate_of.line_number as duplicate_of_line_number,
        judged.billing_exception_type,
        case
            when judged.billing_exception_type in ('DUPLICATE_CHARGE', 'BILLED_NOT_ACTIVE')
                then judged.billed_eur
            when judged.billing_exception_type is not null
                then cast(round(judged.difference_eur, 2) as decimal(18, 2))
        end as exception_amount_eur,
        judged.source_file,
        judged.source_row
    from judged
    left join charges as duplicate_of
        on judged.duplicate_of_billing_seq = duplicate_of.billing_seq

)

select * from final