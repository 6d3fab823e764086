
-- Fixture for int_business_calendar
select 
    
    cast('2026-03-27' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(100 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-03-28' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(100 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-03-29' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(100 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-03-30' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(101 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-03-31' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(102 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-04-01' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(103 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-04-02' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(104 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-04-03' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(105 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-04-04' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(105 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-04-05' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(105 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-04-06' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(105 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-04-07' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(106 as INTEGER)
 as "business_day_index"