{#- The stable id of an exception, derived from its identity (OUTPUT.md):
    (provider, exception_type, order_line_id, invoice_number, invoice_line,
    period_month). Empty parts count as ''. -#}
{% macro exception_id(provider, exception_type, order_line_id, invoice_number, invoice_line, period_month) -%}
    'EX-' || left(md5(concat_ws(
        '|',
        coalesce(cast({{ provider }} as varchar), ''),
        coalesce(cast({{ exception_type }} as varchar), ''),
        coalesce(cast({{ order_line_id }} as varchar), ''),
        coalesce(cast({{ invoice_number }} as varchar), ''),
        coalesce(cast({{ invoice_line }} as varchar), ''),
        coalesce(cast({{ period_month }} as varchar), '')
    )), 16)
{%- endmacro %}

{#- Money as text for an evidence sentence: two decimals, dot. -#}
{% macro eur_text(expression) -%}
    cast(cast({{ expression }} as decimal(18, 2)) as varchar)
{%- endmacro %}

{#- A unit price as text: two decimals when it has no more, else four. -#}
{% macro price_text(expression) -%}
    case
        when {{ expression }} = cast({{ expression }} as decimal(18, 2))
            then cast(cast({{ expression }} as decimal(18, 2)) as varchar)
        else cast(cast({{ expression }} as decimal(18, 4)) as varchar)
    end
{%- endmacro %}

{#- A quantity as text: without decimals when it is whole. -#}
{% macro quantity_text(expression) -%}
    case
        when {{ expression }} = trunc({{ expression }})
            then cast(cast({{ expression }} as bigint) as varchar)
        else cast({{ expression }} as varchar)
    end
{%- endmacro %}

{#- Severity (RULES.md): high when |amount_eur| >= 500 or a lifecycle control's
    age is more than twice its SLA; medium when |amount_eur| >= 50 or for any
    other lifecycle control; low for the rest. `age` and `sla` are given for
    the aged lifecycle controls, `is_lifecycle_control` for every lifecycle
    control (ORDER_ENTRY_MISMATCH too). -#}
{% macro severity(amount_eur, age='null', sla='null', is_lifecycle_control=false) -%}
    case
        when abs({{ amount_eur }}) >= 500 then 'high'
        when {{ age }} > 2 * {{ sla }} then 'high'
        when abs({{ amount_eur }}) >= 50 then 'medium'
        {%- if is_lifecycle_control %}
        else 'medium'
        {%- else %}
        else 'low'
        {%- endif %}
    end
{%- endmacro %}
