{#- The life of every CRM line as of D (RULES.md) apart from its age: its
    current state, when it began, its activation and termination dates, cycle
    time and latest submission. Nothing here changes from one night to the
    next unless a row of the line lands or is dated into the window (which
    int_incremental__order_lines tracks), so it is incremental: a night
    recomputes the lines in scope. The age, which the date alone changes, is
    int_order_lines__lifecycle's one step on top. -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__order_lines') }}
with

crm_lines as (

    select * from {{ ref('int_crm_order_lines__current') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

timeline as (

    select * from {{ ref('int_order_timeline') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

provider_orders as (

    select * from {{ ref('stg_providers__orders') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

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
    where provider_orders.submitted_date <= {{ as_of_date() }}

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

timed as (

    select
        *,
        {{ business_days('signed_date', 'activation_date') }} as cycle_time_business_days
    from lifecycle

)

select * from timed
