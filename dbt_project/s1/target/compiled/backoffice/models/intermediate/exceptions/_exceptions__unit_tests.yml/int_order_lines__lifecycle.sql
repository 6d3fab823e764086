
-- Fixture for int_order_lines__lifecycle
select 
    
    cast('P0' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('S' as character varying)
 as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as INTEGER)
 as "quantity", 
    
    cast('10.0000' as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('10.0000' as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACTIVE' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast('1' as BIGINT)
 as "submissions_count", 
    
    cast('A-0' as character varying)
 as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", 
    
    cast('S' as character varying)
 as "latest_submitted_sku", 
    
    cast('1' as INTEGER)
 as "latest_submitted_quantity", 
    
    cast('10.0050' as DECIMAL(18,4))
 as "latest_submitted_unit_price_eur", 
    
    cast('o.ndjson' as character varying)
 as "latest_submission_source_file", 
    
    cast('6' as character varying)
 as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('P1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('S' as character varying)
 as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as INTEGER)
 as "quantity", 
    
    cast('10.2500' as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('10.2500' as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACTIVE' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast('1' as BIGINT)
 as "submissions_count", 
    
    cast('A-1' as character varying)
 as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", 
    
    cast('S' as character varying)
 as "latest_submitted_sku", 
    
    cast('1' as INTEGER)
 as "latest_submitted_quantity", 
    
    cast('10.1250' as DECIMAL(18,4))
 as "latest_submitted_unit_price_eur", 
    
    cast('o.ndjson' as character varying)
 as "latest_submission_source_file", 
    
    cast('7' as character varying)
 as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('Q1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('S' as character varying)
 as "sku", cast(null as character varying(256)) as "description", 
    
    cast('2' as INTEGER)
 as "quantity", 
    
    cast('10.0000' as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('20.0000' as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACTIVE' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast('1' as BIGINT)
 as "submissions_count", 
    
    cast('A-2' as character varying)
 as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", 
    
    cast('S' as character varying)
 as "latest_submitted_sku", 
    
    cast('3' as INTEGER)
 as "latest_submitted_quantity", 
    
    cast('10.0000' as DECIMAL(18,4))
 as "latest_submitted_unit_price_eur", 
    
    cast('o.ndjson' as character varying)
 as "latest_submission_source_file", 
    
    cast('8' as character varying)
 as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('K1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('S' as character varying)
 as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as INTEGER)
 as "quantity", 
    
    cast('0.0050' as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('0.0050' as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACTIVE' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast('1' as BIGINT)
 as "submissions_count", 
    
    cast('A-3' as character varying)
 as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", 
    
    cast('T' as character varying)
 as "latest_submitted_sku", 
    
    cast('1' as INTEGER)
 as "latest_submitted_quantity", 
    
    cast('0.0100' as DECIMAL(18,4))
 as "latest_submitted_unit_price_eur", 
    
    cast('o.ndjson' as character varying)
 as "latest_submission_source_file", 
    
    cast('9' as character varying)
 as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('U1' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", 
    
    cast('S' as character varying)
 as "sku", cast(null as character varying(256)) as "description", 
    
    cast('1' as INTEGER)
 as "quantity", 
    
    cast('10.0000' as DECIMAL(18,4))
 as "unit_price_eur", 
    
    cast('10.0000' as DECIMAL(18,4))
 as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACTIVE' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast('0' as BIGINT)
 as "submissions_count", 
    
    cast(null as character varying(256))
 as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", 
    
    cast(null as character varying(256))
 as "latest_submitted_sku", 
    
    cast(null as INTEGER)
 as "latest_submitted_quantity", 
    
    cast(null as DECIMAL(18,4))
 as "latest_submitted_unit_price_eur", 
    
    cast(null as character varying(256))
 as "latest_submission_source_file", 
    
    cast(null as character varying(256))
 as "latest_submission_source_row", cast(null as INTEGER) as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"