{#- The exceptions' history as changes, not copies: one row when the night
    of as_of finds an exception for the first time (appeared), finds it with
    any published field changed (changed), or no longer finds it
    (disappeared: the row keeps what the last night that found it said, and
    that night in last_found_on). Any past night is the latest row of each
    exception at or before it (backoffice.audit.history). Appended, never
    rebuilt (full_refresh: false); a rerun of D first deletes D's rows
    (pre-hook), then compares D's findings with the history before D. -#}
with

found as (

    select * from {{ ref('int_exceptions__found') }}

),

nights as (

    select * from {{ ref('judged_nights') }}

),

{% if is_incremental() %}
recorded as (

    select * from {{ this }}
    where as_of < {{ as_of_date() }}

),
{% else %}
recorded as (

    select
        cast(null as date) as as_of,
        cast(null as varchar) as exception_id,
        cast(null as varchar) as change_kind,
        cast(null as boolean) as is_found,
        cast(null as date) as last_found_on,
        cast(null as varchar) as fingerprint,
        exception_type,
        status,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        invoice_number,
        invoice_line,
        period_month,
        age_business_days,
        sla_business_days,
        amount_eur,
        credited_eur,
        severity,
        owner,
        evidence,
        source_file,
        source_row
    from found
    where false

),
{% endif %}

previous_night as (

    select max(as_of) as as_of
    from nights
    where as_of < {{ as_of_date() }}

),

latest_recorded as (

    select * from recorded
    qualify row_number() over (partition by exception_id order by as_of desc) = 1

),

-- What the history said stood before D: found, and not since disappeared.
standing as (

    select * from latest_recorded
    where is_found

),

fingerprinted as (

    select
        exception_id,
        exception_type,
        status,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        invoice_number,
        invoice_line,
        period_month,
        age_business_days,
        sla_business_days,
        amount_eur,
        credited_eur,
        severity,
        owner,
        evidence,
        source_file,
        source_row,
        {{ exception_fingerprint() }} as fingerprint
    from found

),

appeared_or_changed as (

    select
        {{ as_of_date() }} as as_of,
        fingerprinted.exception_id,
        case when standing.exception_id is null then 'appeared' else 'changed' end as change_kind,
        true as is_found,
        {{ as_of_date() }} as last_found_on,
        fingerprinted.fingerprint,
        fingerprinted.exception_type,
        fingerprinted.status,
        fingerprinted.provider,
        fingerprinted.customer_vat,
        fingerprinted.order_id,
        fingerprinted.order_line_id,
        fingerprinted.invoice_number,
        fingerprinted.invoice_line,
        fingerprinted.period_month,
        fingerprinted.age_business_days,
        fingerprinted.sla_business_days,
        fingerprinted.amount_eur,
        fingerprinted.credited_eur,
        fingerprinted.severity,
        fingerprinted.owner,
        fingerprinted.evidence,
        fingerprinted.source_file,
        fingerprinted.source_row
    from fingerprinted
    left join standing
        on fingerprinted.exception_id = standing.exception_id
    where
        standing.exception_id is null
        or standing.fingerprint != fingerprinted.fingerprint

),

disappeared as (

    select
        {{ as_of_date() }} as as_of,
        standing.exception_id,
        'disappeared' as change_kind,
        false as is_found,
        coalesce(previous_night.as_of, standing.last_found_on) as last_found_on,
        standing.fingerprint,
        standing.exception_type,
        standing.status,
        standing.provider,
        standing.customer_vat,
        standing.order_id,
        standing.order_line_id,
        standing.invoice_number,
        standing.invoice_line,
        standing.period_month,
        standing.age_business_days,
        standing.sla_business_days,
        standing.amount_eur,
        standing.credited_eur,
        standing.severity,
        standing.owner,
        standing.evidence,
        standing.source_file,
        standing.source_row
    from standing
    cross join previous_night
    left join found
        on standing.exception_id = found.exception_id
    where found.exception_id is null

),

changes as (

    select * from appeared_or_changed
    union all
    select * from disappeared

)

select * from changes
