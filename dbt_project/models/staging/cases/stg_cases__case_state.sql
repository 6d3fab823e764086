{#- The case state the night's import copied into raw.case_state. A build made
    without that step (a test, a first run) has no such table: it then yields
    no rows, typed the same, instead of failing. -#}
{%- set case_state_source = source('cases', 'case_state') -%}
{%- set case_state_relation = adapter.get_relation(
    database=case_state_source.database,
    schema=case_state_source.schema,
    identifier=case_state_source.identifier,
) if execute else none -%}

with

{% if case_state_relation is not none -%}
source as (

    select
        exception_id,
        case_status,
        assignee,
        root_cause,
        due_date,
        credit_expected_eur,
        credit_received_eur,
        opened_at,
        updated_at,
        closed_at,
        closed_by
    from {{ case_state_source }}

),
{%- else -%}
source as (

    select
        cast(null as varchar) as exception_id,
        cast(null as varchar) as case_status,
        cast(null as varchar) as assignee,
        cast(null as varchar) as root_cause,
        cast(null as date) as due_date,
        cast(null as decimal(18, 2)) as credit_expected_eur,
        cast(null as decimal(18, 2)) as credit_received_eur,
        cast(null as timestamptz) as opened_at,
        cast(null as timestamptz) as updated_at,
        cast(null as timestamptz) as closed_at,
        cast(null as varchar) as closed_by
    where false

),
{%- endif %}

renamed as (

    select
        exception_id,
        case_status,
        assignee,
        root_cause,
        due_date,
        opened_at,
        updated_at,
        closed_at,
        closed_by,
        cast(credit_expected_eur as decimal(18, 2)) as credit_expected_eur,
        cast(credit_received_eur as decimal(18, 2)) as credit_received_eur,
        case_status = 'closed' as is_closed
    from source

)

select * from renamed
