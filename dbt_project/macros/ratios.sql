{#- share(numerator, denominator): numerator / denominator of two counts as
    a DECIMAL(5, 4) between 0 and 1, rounded half away from zero, in integer
    arithmetic (DuckDB divides into DOUBLEs); null when the denominator is 0:
    a share of nothing is unknown, not 0. -#}
{% macro share(numerator, denominator) -%}
    case
        when coalesce({{ denominator }}, 0) > 0
            then cast(
                cast(
                    (2 * cast({{ numerator }} as hugeint) * 10000 + cast({{ denominator }} as hugeint))
                    // (2 * cast({{ denominator }} as hugeint))
                    as decimal(18, 0)
                ) * cast(0.0001 as decimal(5, 4))
                as decimal(5, 4)
            )
    end
{%- endmacro %}
