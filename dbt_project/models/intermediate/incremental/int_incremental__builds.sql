{#- One row per build of the incremental models, appended once they are all
    built (the depends_on lines): the night int_incremental__night compares
    with the next time. A rerun adds a row; the latest by built_at is the one
    the kept rows are of. -#}
-- depends_on: {{ ref('int_crm_order_lines__current') }}
-- depends_on: {{ ref('int_order_timeline') }}
-- depends_on: {{ ref('int_invoice_lines__judged') }}
-- depends_on: {{ ref('int_order_line_months__billing') }}
with

night as (

    select * from {{ ref('int_incremental__night') }}

),

build as (

    select
        as_of,
        previous_as_of,
        configuration_fingerprint,
        is_full_rebuild,
        full_rebuild_reason,
        (select count(*) from {{ ref('int_incremental__order_lines') }}) as order_lines_in_scope,
        '{{ invocation_id }}' as dbt_invocation_id,
        cast('{{ run_started_at.isoformat() }}' as timestamptz) as built_at
    from night

)

select * from build
