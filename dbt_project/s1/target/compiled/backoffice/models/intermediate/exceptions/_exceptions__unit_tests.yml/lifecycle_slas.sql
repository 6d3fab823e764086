
-- Fixture for lifecycle_slas
select 
    
    cast('SUBMITTED' as character varying)
 as "lifecycle_state", 
    
    cast('2' as INTEGER)
 as "sla_business_days", 
    
    cast('ORDER_STUCK' as character varying)
 as "exception_type"