{#- Row lineage: the landed records every raw table holds, as one relation of
    (source_file, source_row, file_sha256, load_id, raw_table). Marts carry
    source_file and source_row; joining them here gives the file's sha256 and
    the load that brought the row, so no figure is without an origin. -#}
{% macro landed_records() -%}
    {%- set tables = [
        'crm_signed_orders', 'provider_orders', 'provider_order_events',
        'invoice_lines', 'invoice_vat_summaries'] -%}
    {%- for table in tables %}
    select
        _source_file as source_file,
        _source_row as source_row,
        _file_sha256 as file_sha256,
        _load_id as load_id,
        'raw.{{ table }}' as raw_table
    from {{ source(('crm' if table == 'crm_signed_orders' else 'providers'), table) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The lineage columns every staging model of a landed table carries, renamed
    from raw's (INPUT.md's rows, ingest's load): the file and row, the file's
    sha256, the load, the delivery date and when it was loaded. With
    `row_number`, also the row as an integer where the format numbers rows
    (CSV data row, NDJSON line), to order records within a file. -#}
{% macro lineage_columns(row_number=false) -%}
        _source_file as source_file,
        _source_row as source_row,
        {%- if row_number %}
        try_cast(_source_row as integer) as source_row_number,
        {%- endif %}
        _file_sha256 as file_sha256,
        _load_id as load_id,
        _delivery_date as delivery_date,
        _loaded_at as loaded_at
{%- endmacro %}
