{#- The life of every CRM line as of D (RULES.md): int_order_lines__states
    (incremental) with the one thing the date alone changes, the age of the
    current state in business days: business_days(began date, D), from the
    signed date when never submitted. A view: the step is a calendar lookup
    per line, cheaper to run where it is read than to rewrite every night. -#}
with

order_lines as (

    select * from {{ ref('int_order_lines__states') }}

),

aged as (

    select
        *,
        {{ business_days('coalesce(current_state_began_date, signed_date)', as_of_date()) }}
            as state_age_business_days
    from order_lines

)

select * from aged
