{#- The lifecycle controls of RULES.md, as of D, for CRM lines whose
    line_status is signed: the SLA controls (ORDER_NOT_SUBMITTED,
    ORDER_STUCK, ORDER_REJECTED) and ORDER_ENTRY_MISMATCH. One row per
    exception found. -#}
with

order_lines as (

    select * from {{ ref('int_order_lines__lifecycle') }}

),

slas as (

    select * from {{ ref('lifecycle_slas') }}

),

signed_lines as (

    select * from order_lines
    where line_status = 'signed'

),

sla_breaches as (

    select
        signed_lines.*,
        slas.exception_type,
        slas.sla_business_days
    from signed_lines
    inner join slas
        on signed_lines.lifecycle_state = slas.lifecycle_state
    where signed_lines.state_age_business_days > slas.sla_business_days

),

sla_exceptions as (

    select
        exception_type,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        cast(null as varchar) as invoice_number,
        cast(null as integer) as invoice_line,
        cast(null as varchar) as period_month,
        state_age_business_days as age_business_days,
        sla_business_days,
        cast(0 as decimal(18, 2)) as amount_eur,
        {{ severity('0', 'state_age_business_days', 'sla_business_days', is_lifecycle_control=true) }}
            as severity,
        case exception_type
            when 'ORDER_STUCK' then 'customer_care'
            else 'back_office'
        end as owner,
        case exception_type
            when 'ORDER_NOT_SUBMITTED'
                then
                    'signed on ' || cast(signed_date as varchar)
                    || ' and not yet submitted to ' || provider
                    || ': ' || cast(state_age_business_days as varchar)
                    || ' business days as of ' || cast({{ as_of_date() }} as varchar)
                    || ', SLA ' || cast(sla_business_days as varchar)
            when 'ORDER_REJECTED'
                then
                    'rejected by ' || provider
                    || coalesce(' (' || current_state_began_provider_state || ')', '')
                    || ' on ' || cast(current_state_began_date as varchar)
                    || ' and not resubmitted: ' || cast(state_age_business_days as varchar)
                    || ' business days as of ' || cast({{ as_of_date() }} as varchar)
                    || ', SLA ' || cast(sla_business_days as varchar)
            else
                lifecycle_state || ' at ' || provider
                || coalesce(' (' || current_state_began_provider_state || ')', '')
                || ' since ' || cast(current_state_began_date as varchar)
                || ': ' || cast(state_age_business_days as varchar)
                || ' business days as of ' || cast({{ as_of_date() }} as varchar)
                || ', SLA ' || cast(sla_business_days as varchar)
        end as evidence,
        case
            when lifecycle_state = 'NEVER_SUBMITTED' then crm_source_file
            else current_state_source_file
        end as source_file,
        case
            when lifecycle_state = 'NEVER_SUBMITTED' then crm_source_row
            else current_state_source_row
        end as source_row
    from sla_breaches

),

entry_differences as (

    select
        *,
        latest_submitted_sku != sku as is_sku_different,
        latest_submitted_quantity != quantity as is_quantity_different,
        abs(latest_submitted_unit_price_eur - unit_price_eur)
        > {{ tolerance('price_tolerance_eur') }} as is_unit_price_different,
        {{ round_half_away(
            'cast(latest_submitted_quantity * latest_submitted_unit_price_eur as decimal(18, 4))'
            ~ ' - contracted_monthly_eur', 2) }} as monthly_difference_eur
    from signed_lines
    where submissions_count > 0

),

entry_mismatches as (

    select
        'ORDER_ENTRY_MISMATCH' as exception_type,
        provider,
        customer_vat,
        order_id,
        order_line_id,
        cast(null as varchar) as invoice_number,
        cast(null as integer) as invoice_line,
        cast(null as varchar) as period_month,
        cast(null as integer) as age_business_days,
        cast(null as integer) as sla_business_days,
        monthly_difference_eur as amount_eur,
        {{ severity('monthly_difference_eur', is_lifecycle_control=true) }} as severity,
        'back_office' as owner,
        'entered at ' || provider || ' (order ' || latest_provider_order_id || ') as '
        || cast(latest_submitted_quantity as varchar) || ' x ' || latest_submitted_sku
        || ' at unit price ' || {{ price_text('latest_submitted_unit_price_eur') }}
        || ' vs CRM ' || cast(quantity as varchar) || ' x ' || sku
        || ' at unit price ' || {{ price_text('unit_price_eur') }}
        || ' (' || concat_ws(
            ', ',
            case when is_sku_different then 'sku differs' end,
            case when is_quantity_different then 'quantity differs' end,
            case when is_unit_price_different then 'unit price differs' end
        ) || '): monthly difference ' || {{ eur_text('monthly_difference_eur') }} as evidence,
        latest_submission_source_file as source_file,
        latest_submission_source_row as source_row
    from entry_differences
    where is_sku_different or is_quantity_different or is_unit_price_different

),

found as (

    select * from sla_exceptions
    union all
    select * from entry_mismatches

)

select * from found
