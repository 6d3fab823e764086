{#- The append-only tables kept across runs (exception_history,
    judged_nights) hold rows per night (as_of): before a run appends, whatever
    an earlier run for the same as_of wrote is removed, so a rerun changes
    nothing. Renders nothing when the table does not exist yet (dbt then
    skips the hook). -#}
{% macro delete_history_of_this_run(relation) -%}
    {%- if execute -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if existing is not none -%}
            delete from {{ existing }} where as_of = {{ as_of_date() }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The published fields of an exception as one hash: a night records a new
    version of an exception only when this changes (history as changes, not
    copies). as_of and the exception's id are not part of it. -#}
{% macro exception_fingerprint() -%}
    md5(concat_ws(
        '|',
        {%- for column in [
            'exception_type', 'status', 'provider', 'customer_vat', 'order_id', 'order_line_id',
            'invoice_number', 'invoice_line', 'period_month', 'age_business_days',
            'sla_business_days', 'amount_eur', 'credited_eur', 'severity', 'owner', 'evidence',
            'source_file', 'source_row'] %}
        coalesce(cast({{ column }} as varchar), '<null>'){{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
