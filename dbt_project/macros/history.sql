{#- exception_history is append-only across runs, one row per exception per
    as_of: before a run appends its findings, whatever an earlier run for the
    same as_of wrote is removed, so a rerun changes nothing. Renders nothing
    when the table does not exist yet (dbt then skips the hook). -#}
{% macro delete_history_of_this_run(relation) -%}
    {%- if execute -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if existing is not none -%}
            delete from {{ existing }} where as_of = {{ as_of_date() }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
