
-- Fixture for stg_providers__orders
select 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "event_id", 
    
    cast('D-1' as character varying)
 as "provider_order_id", cast(null as character varying(256)) as "order_id", 
    
    cast('D' as character varying)
 as "order_line_id", 
    
    cast('S' as character varying)
 as "sku", 
    
    cast(1 as INTEGER)
 as "quantity", 
    
    cast(10.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('2026-03-27 10:00:00+01' as TIMESTAMP WITH TIME ZONE)
 as "submitted_at", 
    
    cast('2026-03-27' as DATE)
 as "submitted_date", 
    
    cast('o.ndjson' as character varying)
 as "source_file", cast(null as character varying(256)) as "source_row", 
    
    cast(1 as INTEGER)
 as "source_row_number", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "event_id", 
    
    cast('D-2' as character varying)
 as "provider_order_id", cast(null as character varying(256)) as "order_id", 
    
    cast('D' as character varying)
 as "order_line_id", 
    
    cast('S' as character varying)
 as "sku", 
    
    cast(2 as INTEGER)
 as "quantity", 
    
    cast(10.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('2026-03-31 10:00:00+02' as TIMESTAMP WITH TIME ZONE)
 as "submitted_at", 
    
    cast('2026-03-31' as DATE)
 as "submitted_date", 
    
    cast('o.ndjson' as character varying)
 as "source_file", cast(null as character varying(256)) as "source_row", 
    
    cast(2 as INTEGER)
 as "source_row_number", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
union all
select 
    
    cast('nuvola' as character varying)
 as "provider", cast(null as character varying(256)) as "event_id", 
    
    cast('N-9' as character varying)
 as "provider_order_id", cast(null as character varying(256)) as "order_id", 
    
    cast('D' as character varying)
 as "order_line_id", 
    
    cast('S' as character varying)
 as "sku", 
    
    cast(9 as INTEGER)
 as "quantity", 
    
    cast(10.0 as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('2026-04-01 10:00:00+02' as TIMESTAMP WITH TIME ZONE)
 as "submitted_at", 
    
    cast('2026-04-01' as DATE)
 as "submitted_date", 
    
    cast('n.csv' as character varying)
 as "source_file", cast(null as character varying(256)) as "source_row", 
    
    cast(1 as INTEGER)
 as "source_row_number", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"