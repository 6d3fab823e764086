
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