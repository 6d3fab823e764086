with

 __dbt__cte__int_order_lines__lifecycle as (

-- Fixture for int_order_lines__lifecycle
select 
    
    cast('S2' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('SUBMITTED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(2 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('S3' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('SUBMITTED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(3 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('A3' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACKNOWLEDGED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(3 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('A7' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACKNOWLEDGED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(7 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('I10' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('IN_PROGRESS' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(10 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('I11' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('IN_PROGRESS' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(11 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('H6' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('HELD' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(6 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('R3' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('nuvola' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('REJECTED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(3 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('N4' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('nuvola' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('NEVER_SUBMITTED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(4 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('N5' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('nuvola' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('NEVER_SUBMITTED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(5 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('X9' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('nuvola' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('cancelled' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('NEVER_SUBMITTED' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(9 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
union all
select 
    
    cast('Z99' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", cast(null as DATE) as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as character varying(256)) as "crm_source_file", cast(null as character varying(256)) as "crm_source_row", cast(null as BIGINT) as "timeline_records_count", cast(null as character varying(256)) as "current_state", 
    
    cast('ACTIVE' as character varying)
 as "lifecycle_state", cast(null as TIMESTAMP WITH TIME ZONE) as "current_state_began_at", cast(null as DATE) as "current_state_began_date", cast(null as character varying(256)) as "current_state_began_provider_state", cast(null as character varying(256)) as "current_state_source_file", cast(null as character varying(256)) as "current_state_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "activated_at", cast(null as DATE) as "activation_date", cast(null as character varying(256)) as "activation_source_file", cast(null as character varying(256)) as "activation_source_row", cast(null as TIMESTAMP WITH TIME ZONE) as "terminated_at", cast(null as DATE) as "termination_date", 
    
    cast(0 as BIGINT)
 as "submissions_count", cast(null as character varying(256)) as "latest_provider_order_id", cast(null as TIMESTAMP WITH TIME ZONE) as "latest_submitted_at", cast(null as character varying(256)) as "latest_submitted_sku", cast(null as INTEGER) as "latest_submitted_quantity", cast(null as DECIMAL(18,4)) as "latest_submitted_unit_price_eur", cast(null as character varying(256)) as "latest_submission_source_file", cast(null as character varying(256)) as "latest_submission_source_row", 
    
    cast(99 as INTEGER)
 as "state_age_business_days", cast(null as INTEGER) as "cycle_time_business_days"
),  __dbt__cte__lifecycle_slas as (

-- Fixture for lifecycle_slas
select 
    
    cast('NEVER_SUBMITTED' as character varying)
 as "lifecycle_state", 
    
    cast('2' as INTEGER)
 as "sla_business_days", 
    
    cast('ORDER_NOT_SUBMITTED' as character varying)
 as "exception_type"
union all
select 
    
    cast('SUBMITTED' as character varying)
 as "lifecycle_state", 
    
    cast('2' as INTEGER)
 as "sla_business_days", 
    
    cast('ORDER_STUCK' as character varying)
 as "exception_type"
union all
select 
    
    cast('ACKNOWLEDGED' as character varying)
 as "lifecycle_state", 
    
    cast('3' as INTEGER)
 as "sla_business_days", 
    
    cast('ORDER_STUCK' as character varying)
 as "exception_type"
union all
select 
    
    cast('IN_PROGRESS' as character varying)
 as "lifecycle_state", 
    
    cast('10' as INTEGER)
 as "sla_business_days", 
    
    cast('ORDER_STUCK' as character varying)
 as "exception_type"
union all
select 
    
    cast('HELD' as character varying)
 as "lifecycle_state", 
    
    cast('5' as INTEGER)
 as "sla_business_days", 
    
    cast('ORDER_STUCK' as character varying)
 as "exception_type"
union all
select 
    
    cast('REJECTED' as character varying)
 as "lifecycle_state", 
    
    cast('2' as INTEGER)
 as "sla_business_days", 
    
    cast('ORDER_REJECTED' as character varying)
 as "exception_type"
), order_lines as (

    select * from __dbt__cte__int_order_lines__lifecycle

),

slas as (

    select * from __dbt__cte__lifecycle_slas

),

signed_lines as (

    select * from order_lines
    where line_status = 'signed'

),

sla_breaches as (

    select
        signed_lines.*,
        slas.exception_type,
        slas.sla_business_days
    from signed_lines
    inner join slas
        on signed_lines.lifecycle_state = slas.lifecycle_state
    where signed_lines.state_age_business_days > slas.sla_business_days

),

sla_exceptions as (

    select
        exception_type,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        cast(null as varchar) as invoice_number,
        cast(null as integer) as invoice_line,
        cast(null as varchar) as period_month,
        state_age_business_days as age_business_days,
        sla_business_days,
        cast(0 as decimal(18, 2)) as amount_eur,
        case
            when state_age_business_days > 2 * sla_business_days then 'high'
            else 'medium'
        end as severity,
        case exception_type
            when 'ORDER_STUCK' then 'customer_care'
            else 'back_office'
        end as owner,
        case exception_type
            when 'ORDER_NOT_SUBMITTED'
                then
                    'signed on ' || cast(signed_date as varchar)
                    || ' and not yet submitted to ' || provider
                    || ': ' || cast(state_age_business_days as varchar)
                    || ' business days as of ' || cast(cast('2026-04-07' as date) as varchar)
                    || ', SLA ' || cast(sla_business_days as varchar)
            when 'ORDER_REJECTED'
                then
                    'rejected by ' || provider
                    || coalesce(' (' || current_state_began_provider_state || ')', '')
                    || ' on ' || cast(current_state_began_date as varchar)
                    || ' and not resubmitted: ' || cast(state_age_business_days as varchar)
                    || ' business days as of ' || cast(cast('2026-04-07' as date) as varchar)
                    || ', SLA ' || cast(sla_business_days as varchar)
            else
                lifecycle_state || ' at ' || provider
                || coalesce(' (' || current_state_began_provider_state || ')', '')
                || ' since ' || cast(current_state_began_date as varchar)
                || ': ' || cast(state_age_business_days as varchar)
                || ' business days as of ' || cast(cast('2026-04-07' as date) as varchar)
                || ', SLA ' || cast(sla_business_days as varchar)
        end as evidence,
        case
            when lifecycle_state = 'NEVER_SUBMITTED' then crm_source_file
            else current_state_source_file
        end as source_file,
        case
            when lifecycle_state = 'NEVER_SUBMITTED' then crm_source_row
            else current_state_source_row
        end as source_row
    from sla_breaches

),

entry_differences as (

    select
        *,
        latest_submitted_sku != sku as is_sku_different,
        latest_submitted_quantity != quantity as is_quantity_different,
        abs(latest_submitted_unit_price_eur - unit_price_eur)
        > cast('0.005' as decimal(18, 4)) as is_unit_price_different,
        cast(round(cast(latest_submitted_quantity * latest_submitted_unit_price_eur as decimal(18, 4)) - contracted_monthly_eur, 2) as decimal(18, 2)) as monthly_difference_eur
    from signed_lines
    where submissions_count > 0

),

entry_mismatches as (

    select
        'ORDER_ENTRY_MISMATCH' as exception_type,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        cast(null as varchar) as invoice_number,
        cast(null as integer) as invoice_line,
        cast(null as varchar) as period_month,
        cast(null as integer) as age_business_days,
        cast(null as integer) as sla_business_days,
        monthly_difference_eur as amount_eur,
        case
            when abs(monthly_difference_eur) >= 500 then 'high'
            else 'medium'
        end as severity,
        'back_office' as owner,
        'entered at ' || provider || ' (order ' || latest_provider_order_id || ') as '
        || cast(latest_submitted_quantity as varchar) || ' x ' || latest_submitted_sku
        || ' at ' || cast(latest_submitted_unit_price_eur as varchar)
        || ' vs CRM ' || cast(quantity as varchar) || ' x ' || sku
        || ' at ' || cast(unit_price_eur as varchar)
        || ' (' || concat_ws(
            ', ',
            case when is_sku_different then 'sku differs' end,
            case when is_quantity_different then 'quantity differs' end,
            case when is_unit_price_different then 'unit price differs' end
        ) || '): monthly difference ' || cast(cast(monthly_difference_eur as decimal(18, 2)) as varchar) as evidence,
        latest_submission_source_file as source_file,
        latest_submission_source_row as source_row
    from entry_differences
    where is_sku_different or is_quantity_different or is_unit_price_different

),

found as (

    select * from sla_exceptions
    union all
    select * from entry_mismatches

)

select * from found