
-- Fixture for int_order_timeline
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('A' as character varying)
 as "order_line_id", 
    
    cast(1 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('SUBMITTED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-04-03' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('a.ndjson' as character varying)
 as "source_file", 
    
    cast('1' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('C' as character varying)
 as "order_line_id", 
    
    cast(1 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('SUBMITTED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-04-01' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('c.ndjson' as character varying)
 as "source_file", 
    
    cast('1' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('C' as character varying)
 as "order_line_id", 
    
    cast(2 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('ACKNOWLEDGED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-04-02' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('c.ndjson' as character varying)
 as "source_file", 
    
    cast('2' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('C' as character varying)
 as "order_line_id", 
    
    cast(3 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('ACKNOWLEDGED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-04-03' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('c.ndjson' as character varying)
 as "source_file", 
    
    cast('3' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('D' as character varying)
 as "order_line_id", 
    
    cast(1 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('SUBMITTED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-03-27' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('d.ndjson' as character varying)
 as "source_file", 
    
    cast('1' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('D' as character varying)
 as "order_line_id", 
    
    cast(2 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('REJECTED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-03-30' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('d.ndjson' as character varying)
 as "source_file", 
    
    cast('2' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('D' as character varying)
 as "order_line_id", 
    
    cast(3 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('SUBMITTED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-03-31' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('d.ndjson' as character varying)
 as "source_file", 
    
    cast('3' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('E' as character varying)
 as "order_line_id", 
    
    cast(1 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('ACTIVE' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-03-27' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('e.ndjson' as character varying)
 as "source_file", 
    
    cast('1' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('E' as character varying)
 as "order_line_id", 
    
    cast(2 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('TERMINATED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-04-01' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('e.ndjson' as character varying)
 as "source_file", 
    
    cast('2' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('E' as character varying)
 as "order_line_id", 
    
    cast(3 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('ACTIVE' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-04-02' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('e.ndjson' as character varying)
 as "source_file", 
    
    cast('3' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('F' as character varying)
 as "order_line_id", 
    
    cast(1 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('TERMINATED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-03-27' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('f.ndjson' as character varying)
 as "source_file", 
    
    cast('1' as character varying)
 as "source_row"
union all
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('F' as character varying)
 as "order_line_id", 
    
    cast(2 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('ACTIVE' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-03-30' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('f.ndjson' as character varying)
 as "source_file", 
    
    cast('2' as character varying)
 as "source_row"