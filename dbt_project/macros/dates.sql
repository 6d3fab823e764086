{#- A timestamp's date is its calendar date in Europe/Rome (RULES.md). The
    bundled icu extension converts; the session time zone plays no part. -#}
{% macro local_date(timestamp_expression) -%}
    {{ return(adapter.dispatch('local_date', 'backoffice')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__local_date(timestamp_expression) -%}
    cast(({{ timestamp_expression }} at time zone '{{ var("business_timezone") }}') as date)
{%- endmacro %}

{#- Count of business days d with a < d <= b, by subtraction of the
    calendar's cumulative business-day index: no loop, one lookup each. -#}
{% macro business_days(a, b) -%}
    (
        (
            select cal_b.business_day_index
            from {{ ref('int_business_calendar') }} as cal_b
            where cal_b.calendar_date = {{ b }}
        )
        - (
            select cal_a.business_day_index
            from {{ ref('int_business_calendar') }} as cal_a
            where cal_a.calendar_date = {{ a }}
        )
    )
{%- endmacro %}
