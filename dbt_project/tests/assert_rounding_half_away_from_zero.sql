-- RULES.md rounds every amount half away from zero (0.125 -> 0.13). Pins
-- what DuckDB's round() does on a DECIMAL and the exact integer division of
-- divide_round_half_away(); returns the cases that disagree.
with

cases as (

    select *
    from (
        values
        (cast('0.125' as decimal(18, 8)), 1, cast('0.13' as decimal(18, 2))),
        (cast('-0.125' as decimal(18, 8)), 1, cast('-0.13' as decimal(18, 2))),
        (cast('0.135' as decimal(18, 8)), 1, cast('0.14' as decimal(18, 2))),
        (cast('2.675' as decimal(18, 8)), 1, cast('2.68' as decimal(18, 2))),
        (cast('-2.675' as decimal(18, 8)), 1, cast('-2.68' as decimal(18, 2))),
        (cast('0.12499999' as decimal(18, 8)), 1, cast('0.12' as decimal(18, 2))),
        -- 1.55 x 15 / 30 = 0.775
        (cast('23.25' as decimal(18, 8)), 30, cast('0.78' as decimal(18, 2))),
        (cast('-23.25' as decimal(18, 8)), 30, cast('-0.78' as decimal(18, 2))),
        -- 100 x 14 / 31 = 45.1612...
        (cast('1400' as decimal(18, 8)), 31, cast('45.16' as decimal(18, 2))),
        -- 10 x 1 / 3 = 3.333...
        (cast('10' as decimal(18, 8)), 3, cast('3.33' as decimal(18, 2)))
    ) as known (amount, divisor, expected_eur)  -- noqa: AL05

),

computed as (

    select
        amount,
        divisor,
        expected_eur,
        case
            when divisor = 1 then {{ round_half_away('amount', 2) }}
        end as rounded_eur,
        {{ divide_round_half_away('amount', 'divisor') }} as divided_eur
    from cases

)

select *
from computed
where
    (divisor = 1 and rounded_eur is distinct from expected_eur)
    or divided_eur is distinct from expected_eur
