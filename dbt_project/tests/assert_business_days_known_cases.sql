-- business_days(a, b) on dates whose answer is known by hand; returns the
-- cases that disagree.
with

cases as (

    select *
    from (
        values
        -- a Friday state is 1 business day old on Monday
        (date '2026-03-06', date '2026-03-09', 1),
        -- the weekend itself adds nothing
        (date '2026-03-06', date '2026-03-08', 0),
        -- Easter Monday 2026 is 6 April: Friday 3 to Tuesday 7 is 1
        (date '2026-04-03', date '2026-04-07', 1),
        -- Easter Monday 2025 is 21 April (and 25 April is a Friday)
        (date '2025-04-18', date '2025-04-22', 1),
        (date '2025-04-24', date '2025-04-28', 1),
        -- 4 October is a holiday from 2026 only (Legge 151/2025)
        (date '2027-10-01', date '2027-10-05', 1),
        (date '2024-10-03', date '2024-10-04', 1),
        (date '2028-10-03', date '2028-10-04', 0),
        -- Monday 4 October 2027 itself adds nothing; in 2026 it is a Sunday
        (date '2027-10-01', date '2027-10-04', 0),
        (date '2026-10-02', date '2026-10-05', 1),
        -- Easter Monday 2027 is 29 March, 2028 is 17 April
        (date '2027-03-26', date '2027-03-30', 1),
        (date '2028-04-14', date '2028-04-18', 1),
        -- 25 and 26 December: Friday and Saturday in 2026, Thursday and Friday in 2025
        (date '2026-12-24', date '2026-12-28', 1),
        (date '2025-12-24', date '2025-12-29', 1),
        -- Christmas, Santo Stefano, New Year, Epiphany
        (date '2026-12-23', date '2027-01-08', 9),
        -- a = b
        (date '2026-05-04', date '2026-05-04', 0),
        -- Easter Monday 2030 is 22 April, 2038 is 26 April
        (date '2030-04-19', date '2030-04-23', 1),
        (date '2038-04-23', date '2038-04-27', 1)
    ) as known (start_date, end_date, expected_business_days)  -- noqa: AL05

),

computed as (

    select
        start_date,
        end_date,
        expected_business_days,
        {{ business_days('start_date', 'end_date') }} as business_days
    from cases

)

select *
from computed
where business_days is distinct from expected_business_days
