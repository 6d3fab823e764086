with

 __dbt__cte__int_crm_order_lines__current as (

-- Fixture for int_crm_order_lines__current
select 
    
    cast('A' as character varying)
 as "order_line_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "customer_vat", cast(null as character varying(256)) as "customer_name", 
    
    cast('alfa' as character varying)
 as "provider", cast(null as character varying(256)) as "sku", cast(null as character varying(256)) as "description", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as DECIMAL(18,4)) as "contracted_monthly_eur", cast(null as DECIMAL(5,2)) as "vat_rate", 
    
    cast('2026-03-26' as DATE)
 as "signed_date", 
    
    cast('signed' as character varying)
 as "line_status", cast(null as DATE) as "cancelled_date", cast(null as TIMESTAMP WITH TIME ZONE) as "updated_at", cast(null as BIGINT) as "versions_count", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row"
),  __dbt__cte__int_order_timeline as (

-- Fixture for int_order_timeline
select cast(null as character varying(256)) as "timeline_record_id", 
    
    cast('A' as character varying)
 as "order_line_id", 
    
    cast(1 as BIGINT)
 as "timeline_seq", cast(null as character varying(256)) as "provider", 
    
    cast('SUBMITTED' as character varying)
 as "canonical_state", cast(null as character varying(256)) as "provider_state", cast(null as TIMESTAMP WITH TIME ZONE) as "state_at", 
    
    cast('2026-03-27' as DATE)
 as "state_date", cast(null as character varying(256)) as "record_kind", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "event_id", 
    
    cast('a.ndjson' as character varying)
 as "source_file", 
    
    cast('1' as character varying)
 as "source_row"
),  __dbt__cte__stg_providers__orders as (

-- Fixture for stg_providers__orders
select cast(null as character varying(256)) as "provider", cast(null as character varying(256)) as "event_id", cast(null as character varying(256)) as "provider_order_id", cast(null as character varying(256)) as "order_id", cast(null as character varying(256)) as "order_line_id", cast(null as character varying(256)) as "sku", cast(null as INTEGER) as "quantity", cast(null as DECIMAL(18,4)) as "unit_price_eur", cast(null as TIMESTAMP WITH TIME ZONE) as "submitted_at", cast(null as DATE) as "submitted_date", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "source_row", cast(null as INTEGER) as "source_row_number", cast(null as character varying(256)) as "file_sha256", cast(null as character varying(256)) as "load_id", cast(null as DATE) as "delivery_date", cast(null as TIMESTAMP WITH TIME ZONE) as "loaded_at"
    limit 0
),  __dbt__cte__int_business_calendar as (

-- Fixture for int_business_calendar
select 
    
    cast('2026-03-26' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(99 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-03-27' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(100 as INTEGER)
 as "business_day_index"
union all
select 
    
    cast('2026-03-30' as DATE)
 as "calendar_date", cast(null as BIGINT) as "iso_day_of_week", cast(null as BOOLEAN) as "is_holiday", cast(null as character varying(256)) as "holiday_name", cast(null as BOOLEAN) as "is_business_day", 
    
    cast(101 as INTEGER)
 as "business_day_index"
), crm_lines as (

    select * from __dbt__cte__int_crm_order_lines__current

),

timeline as (

    select * from __dbt__cte__int_order_timeline

),

provider_orders as (

    select * from __dbt__cte__stg_providers__orders

),

latest_records as (

    select
        order_line_id,
        max(timeline_seq) as latest_seq,
        count(*) as timeline_records_count
    from timeline
    group by order_line_id

),

current_states as (

    select
        latest_records.order_line_id,
        latest_records.timeline_records_count,
        timeline.canonical_state as current_state
    from latest_records
    inner join timeline
        on
            latest_records.order_line_id = timeline.order_line_id
            and latest_records.latest_seq = timeline.timeline_seq

),

-- The current state began at the first record of it since the last record
-- of a different state.
last_different as (

    select
        current_states.order_line_id,
        max(timeline.timeline_seq) as last_different_seq
    from current_states
    inner join timeline
        on
            current_states.order_line_id = timeline.order_line_id
            and current_states.current_state != timeline.canonical_state
    group by current_states.order_line_id

),

state_beginnings as (

    select
        current_states.order_line_id,
        min(timeline.timeline_seq) as began_seq
    from current_states
    left join last_different
        on current_states.order_line_id = last_different.order_line_id
    inner join timeline
        on
            current_states.order_line_id = timeline.order_line_id
            and timeline.timeline_seq > coalesce(last_different.last_different_seq, 0)
    group by current_states.order_line_id

),

activations as (

    select
        order_line_id,
        min(timeline_seq) as activation_seq
    from timeline
    where canonical_state = 'ACTIVE'
    group by order_line_id

),

terminations as (

    select
        timeline.order_line_id,
        min(timeline.timeline_seq) as termination_seq
    from timeline
    inner join activations
        on
            timeline.order_line_id = activations.order_line_id
            and timeline.timeline_seq > activations.activation_seq
    where timeline.canonical_state = 'TERMINATED'
    group by timeline.order_line_id

),

-- The latest submission at the line's provider (ORDER_ENTRY_MISMATCH).
submissions as (

    select
        provider_orders.*,
        row_number() over (
            partition by provider_orders.order_line_id
            order by
                provider_orders.submitted_at desc,
                provider_orders.source_file desc,
                provider_orders.source_row_number desc nulls last
        ) as submission_rank,
        count(*) over (partition by provider_orders.order_line_id) as submissions_count
    from provider_orders
    inner join crm_lines
        on
            provider_orders.order_line_id = crm_lines.order_line_id
            and provider_orders.provider = crm_lines.provider
    where provider_orders.submitted_date <= cast('2026-03-30' as date)

),

latest_submissions as (

    select * from submissions
    where submission_rank = 1

),

lifecycle as (

    select
        crm_lines.order_line_id,
        crm_lines.order_id,
        crm_lines.customer_vat,
        crm_lines.customer_name,
        crm_lines.provider,
        crm_lines.sku,
        crm_lines.description,
        crm_lines.quantity,
        crm_lines.unit_price_eur,
        crm_lines.contracted_monthly_eur,
        crm_lines.vat_rate,
        crm_lines.signed_date,
        crm_lines.line_status,
        crm_lines.cancelled_date,
        crm_lines.updated_at,
        crm_lines.source_file as crm_source_file,
        crm_lines.source_row as crm_source_row,
        coalesce(current_states.timeline_records_count, 0) as timeline_records_count,
        current_states.current_state,
        coalesce(current_states.current_state, 'NEVER_SUBMITTED') as lifecycle_state,
        began.state_at as current_state_began_at,
        began.state_date as current_state_began_date,
        began.provider_state as current_state_began_provider_state,
        began.source_file as current_state_source_file,
        began.source_row as current_state_source_row,
        activated.state_at as activated_at,
        activated.state_date as activation_date,
        activated.source_file as activation_source_file,
        activated.source_row as activation_source_row,
        termination.state_at as terminated_at,
        termination.state_date as termination_date,
        coalesce(latest_submissions.submissions_count, 0) as submissions_count,
        latest_submissions.provider_order_id as latest_provider_order_id,
        latest_submissions.submitted_at as latest_submitted_at,
        latest_submissions.sku as latest_submitted_sku,
        latest_submissions.quantity as latest_submitted_quantity,
        latest_submissions.unit_price_eur as latest_submitted_unit_price_eur,
        latest_submissions.source_file as latest_submission_source_file,
        latest_submissions.source_row as latest_submission_source_row
    from crm_lines
    left join current_states
        on crm_lines.order_line_id = current_states.order_line_id
    left join state_beginnings
        on crm_lines.order_line_id = state_beginnings.order_line_id
    left join timeline as began
        on
            state_beginnings.order_line_id = began.order_line_id
            and state_beginnings.began_seq = began.timeline_seq
    left join activations
        on crm_lines.order_line_id = activations.order_line_id
    left join timeline as activated
        on
            activations.order_line_id = activated.order_line_id
            and activations.activation_seq = activated.timeline_seq
    left join terminations
        on crm_lines.order_line_id = terminations.order_line_id
    left join timeline as termination
        on
            terminations.order_line_id = termination.order_line_id
            and terminations.termination_seq = termination.timeline_seq
    left join latest_submissions
        on crm_lines.order_line_id = latest_submissions.order_line_id

),

aged as (

    select
        *,
        (
        (
            select cal_b.business_day_index
            from __dbt__cte__int_business_calendar as cal_b
            where cal_b.calendar_date = cast('2026-03-30' as date)
        )
        - (
            select cal_a.business_day_index
            from __dbt__cte__int_business_calendar as cal_a
            where cal_a.calendar_date = coalesce(current_state_began_date, signed_date)
        )
    )
            as state_age_business_days,
        (
        (
            select cal_b.business_day_index
            from __dbt__cte__int_business_calendar as cal_b
            where cal_b.calendar_date = activation_date
        )
        - (
            select cal_a.business_day_index
            from __dbt__cte__int_business_calendar as cal_a
            where cal_a.calendar_date = signed_date
        )
    ) as cycle_time_business_days
    from lifecycle

)

select * from aged