with

case_state as (

    select * from {{ ref('stg_cases__case_state') }}

),

exceptions as (

    select * from {{ ref('exceptions') }}

),

cases_with_amounts as (

    select
        case_state.exception_id,
        case_state.is_closed,
        case_state.due_date,
        exceptions.amount_eur,
        coalesce(case_state.assignee, 'unassigned') as assignee,
        coalesce(case_state.credit_received_eur, exceptions.credited_eur, 0) as recovered_eur,
        case_state.is_closed
        and {{ local_date('case_state.closed_at') }} between date_trunc('month', {{ as_of_date() }})
        and {{ as_of_date() }} as is_closed_this_month
    from case_state
    left join exceptions
        on case_state.exception_id = exceptions.exception_id

),

per_assignee as (

    select
        assignee,
        count(*) filter (where not is_closed) as open_cases,
        count(*) filter (
            where not is_closed and due_date < {{ as_of_date() }}
        ) as overdue_cases,
        coalesce(
            sum(abs(amount_eur)) filter (where not is_closed), 0
        ) as at_stake_eur,
        coalesce(
            sum(recovered_eur) filter (where is_closed_this_month), 0
        ) as recovered_this_month_eur
    from cases_with_amounts
    group by assignee

),

final as (

    select
        assignee,
        open_cases,
        overdue_cases,
        {{ as_of_date() }} as as_of,
        cast(at_stake_eur as decimal(18, 2)) as at_stake_eur,
        cast(recovered_this_month_eur as decimal(18, 2)) as recovered_this_month_eur
    from per_assignee

)

select * from final
