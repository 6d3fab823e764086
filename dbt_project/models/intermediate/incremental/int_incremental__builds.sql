{#- One row per build of the incremental models, appended once they are all
    built (the depends_on lines): the night int_incremental__night compares
    with the next time. A rerun adds a row; the latest by built_at is the one
    the kept rows are of. -#}
-- depends_on: {{ ref('int_crm_order_lines__current') }}
-- depends_on: {{ ref('int_order_timeline') }}
-- depends_on: {{ ref('int_order_lines__states') }}
-- depends_on: {{ ref('int_invoice_lines__judged') }}
-- depends_on: {{ ref('int_invoice_lines__judgements') }}
-- depends_on: {{ ref('int_order_line_months__billing') }}
-- depends_on: {{ ref('int_invoices__vat') }}
with

night as (

    select * from {{ ref('int_incremental__night') }}

),

scope_size as (

    select count(*) as order_lines_in_scope
    from {{ ref('int_incremental__order_lines') }}

),

build as (

    select
        night.as_of,
        night.previous_as_of,
        night.configuration_fingerprint,
        night.is_full_rebuild,
        night.full_rebuild_reason,
        scope_size.order_lines_in_scope,
        '{{ invocation_id }}' as dbt_invocation_id,
        cast('{{ run_started_at.isoformat() }}' as timestamptz) as built_at
    from night
    cross join scope_size

)

select * from build
