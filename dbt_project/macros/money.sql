{#- Money is DECIMAL all the way: never through float/double.

    round_half_away(x, n): round a DECIMAL to n decimals, half away from zero
    (0.125 -> 0.13, -0.125 -> -0.13), as RULES.md requires. DuckDB's round()
    on a DECIMAL rounds half away from zero, exactly (pinned by the data test
    assert_rounding_half_away_from_zero and the unit tests of the controls);
    on a DOUBLE it would not be exact: never pass one. -#}
{% macro round_half_away(expression, digits=2) -%}
    {{ return(adapter.dispatch('round_half_away', 'backoffice')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_half_away(expression, digits=2) -%}
    cast(round({{ expression }}, {{ digits }}) as decimal(18, {{ digits }}))
{%- endmacro %}

{#- round_half_away(numerator / denominator, 2) computed exactly: DuckDB
    divides a DECIMAL into a DOUBLE, so the quotient is taken in integer
    arithmetic instead. `numerator` is a DECIMAL with at most `scale`
    decimals, `denominator` a positive integer. -#}
{% macro divide_round_half_away(numerator, denominator, scale=8) -%}
    {{ return(adapter.dispatch('divide_round_half_away', 'backoffice')(numerator, denominator, scale)) }}
{%- endmacro %}

{% macro default__divide_round_half_away(numerator, denominator, scale=8) -%}
    {%- set units = '1' ~ ('0' * scale) -%}
    {%- set to_cents = '1' ~ ('0' * (scale - 2)) -%}
    (
        cast(
            sign(cast({{ numerator }} as decimal(38, {{ scale }})))
            * (
                (
                    2 * abs(cast(cast({{ numerator }} as decimal(38, {{ scale }})) * {{ units }} as hugeint))
                    + cast({{ denominator }} as hugeint) * {{ to_cents }}
                )
                // (2 * cast({{ denominator }} as hugeint) * {{ to_cents }})
            )
            as decimal(18, 0)
        ) * cast(0.01 as decimal(3, 2))
    )
{%- endmacro %}

{#- A tolerance from the project's vars, as a DECIMAL. -#}
{% macro tolerance(var_name) -%}
    cast('{{ var(var_name) }}' as decimal(18, 4))
{%- endmacro %}
