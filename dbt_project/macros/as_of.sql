{#- The date D a run is as of (YYYY-MM-DD): the run judges everything as it
    stood at the end of D in Europe/Rome.

    Where D comes from, first found wins:
    - the var `as_of` (`--vars '{"as_of": "YYYY-MM-DD"}'`, and dbt unit tests'
      overrides), for people running dbt by hand;
    - the environment variable BACKOFFICE_AS_OF, read only while SQL runs
      (`execute`), which is how the pipeline passes it. dbt hashes the cli vars
      into its partial-parse state, so a new `--vars` every night forced a full
      re-parse; an environment variable read at run time leaves the parsed
      project as it was and the next night re-uses it.

    One of them is required. While dbt only parses (no SQL runs) a placeholder
    is rendered, so `dbt parse` works without either. -#}
{% macro as_of_value() -%}
    {%- set value = var('as_of', none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {%- if not execute -%}
            {%- do return('1970-01-01') -%}
        {%- endif -%}
        {%- set value = env_var('BACKOFFICE_AS_OF', '') -%}
        {%- if (value | string | trim) == '' -%}
            {{ exceptions.raise_compiler_error(
                "the as-of date is required: set BACKOFFICE_AS_OF=YYYY-MM-DD or pass "
                ~ "--vars '{\"as_of\": \"YYYY-MM-DD\"}'") }}
        {%- endif -%}
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
