{#- Row lineage of the marts: one row per mart row that comes from a landed
    record, with that record's file, row, file sha256 and load id (from the
    raw table that holds it). The marts carry source_file and source_row;
    this model links each to its landed record, and its tests (run every
    night by dbt build) prove that none is without an origin. Incremental:
    the rows of order_lines and invoice_lines, which only tonight's scope of
    order lines can change, are kept; those of the order lines in scope and
    every row of the other marts (aged by D, and small) are linked again
    (macros/incremental.sql, delete_row_lineage_scope). -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__order_lines') }}
with

landed as (

    {{ landed_records() }}

),

exceptions as (

    select * from {{ ref('exceptions') }}

),

order_lines as (

    select * from {{ ref('order_lines') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

invoice_lines as (

    select * from {{ ref('invoice_lines') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

balance_exceptions as (

    select * from {{ ref('customer_balance_exceptions') }}

),

unmapped_states as (

    select * from {{ ref('unmapped_provider_states') }}

),

quarantined as (

    select * from {{ ref('quarantined_rows') }}

),

mart_rows as (

    select
        'marts.exceptions' as mart,
        exception_id as row_key,
        source_file,
        source_row
    from exceptions
    union all
    select
        'marts.order_lines' as mart,
        order_line_id as row_key,
        source_file,
        source_row
    from order_lines
    union all
    select
        'marts.invoice_lines' as mart,
        source_file || '#' || source_row as row_key,
        source_file,
        source_row
    from invoice_lines
    union all
    select
        'marts.customer_balance_exceptions' as mart,
        exception_id as row_key,
        source_file,
        source_row
    from balance_exceptions
    union all
    select
        'marts.unmapped_provider_states' as mart,
        source_file || '#' || source_row || ':' || coalesce(order_line_id, '') as row_key,
        source_file,
        source_row
    from unmapped_states

),

linked as (

    select
        mart_rows.mart,
        mart_rows.row_key,
        mart_rows.source_file,
        mart_rows.source_row,
        landed.file_sha256,
        landed.load_id,
        landed.raw_table
    from mart_rows
    left join landed
        on
            mart_rows.source_file = landed.source_file
            and mart_rows.source_row = landed.source_row
    qualify row_number() over (
        partition by mart_rows.mart, mart_rows.row_key, mart_rows.source_file, mart_rows.source_row
        order by landed.raw_table
    ) = 1

),

quarantine_lineage as (

    select
        'marts.quarantined_rows' as mart,
        source_file || '#' || source_row as row_key,
        source_file,
        source_row,
        file_sha256,
        load_id,
        'raw.quarantine' as raw_table
    from quarantined

),

final as (

    select * from linked
    union all
    select * from quarantine_lineage

)

select * from final
