
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