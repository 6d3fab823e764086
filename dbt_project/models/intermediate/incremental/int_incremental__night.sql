{#- Whether tonight's incremental models recompute everything, and why (one
    row): no earlier build in this warehouse, a date earlier than the last
    build (people rerun old nights: the rows kept are of a later D), the
    configuration or the code changed since, or `--full-refresh`. Otherwise
    only the order lines of int_incremental__order_lines are recomputed. The
    last build is read from int_incremental__builds by name, not ref(): it is
    written after the models that read this. -#}
{%- set builds = incremental_builds_relation(this) %}
{%- set fingerprint = configuration_fingerprint() %}
with

{% if builds is not none %}
builds as (

    select
        as_of,
        configuration_fingerprint,
        built_at
    from {{ builds }}

),
{% else %}
builds as (

    select
        cast(null as date) as as_of,
        cast(null as varchar) as configuration_fingerprint,
        cast(null as timestamptz) as built_at
    where false

),
{% endif %}

-- The build the kept rows are of: the latest that ran (not the latest
-- date: after a rerun of an earlier night they are of that night).
last_build as (

    select
        as_of,
        configuration_fingerprint
    from builds
    qualify row_number() over (order by built_at desc) = 1

),

-- One row, also before the first build.
previous as (

    select
        max(as_of) as as_of,
        max(configuration_fingerprint) as configuration_fingerprint
    from last_build

),

night as (

    select
        {{ as_of_date() }} as as_of,
        as_of as previous_as_of,
        {{ fingerprint }} as configuration_fingerprint,
        case
            when {{ 'true' if flags.FULL_REFRESH else 'false' }} then 'full refresh requested'
            when as_of is null then 'no earlier build'
            when as_of > {{ as_of_date() }} then 'a date earlier than the last build'
            when configuration_fingerprint != {{ fingerprint }}
                then 'the configuration or the code changed'
        end as full_rebuild_reason,
        {{ billing_last_judged_date(as_of_date()) }} as billing_last_judged_date,
        {{ billing_last_judged_date('as_of') }} as previous_billing_last_judged_date
    from previous

),

final as (

    select
        as_of,
        previous_as_of,
        configuration_fingerprint,
        full_rebuild_reason,
        billing_last_judged_date,
        previous_billing_last_judged_date,
        full_rebuild_reason is not null as is_full_rebuild,
        coalesce(billing_last_judged_date != previous_billing_last_judged_date, true)
            as is_billing_cutoff_moved
    from night

)

select * from final
