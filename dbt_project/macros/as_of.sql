{#- The date D a run is as of (var `as_of`, YYYY-MM-DD): the run judges
    everything as it stood at the end of D in Europe/Rome.

    The var is required. While dbt only parses (no SQL runs) a placeholder
    is rendered, so `dbt parse` works without it. -#}
{% macro as_of_value() -%}
    {%- set value = var('as_of', none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {%- if execute -%}
            {{ exceptions.raise_compiler_error(
                "var 'as_of' is required: dbt build --vars '{\"as_of\": \"YYYY-MM-DD\"}'") }}
        {%- endif -%}
        {%- do return('1970-01-01') -%}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("var 'as_of' must be YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- do return(text) -%}
{%- endmacro %}

{% macro as_of_date() -%}
    cast('{{ as_of_value() }}' as date)
{%- endmacro %}

{#- Rows delivered by the end of D: the landing-zone date of a delivery. -#}
{% macro delivered_by_as_of(column='_delivery_date') -%}
    {{ column }} <= {{ as_of_date() }}
{%- endmacro %}
