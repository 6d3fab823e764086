{#- The billing judgement of every TD01 invoice line (RULES.md, billing
    controls 1 to 8): judged in order, only the first cause that applies.
    Money is DECIMAL throughout; expected is rounded half away from zero.
    Incremental: a night recomputes the lines of the order lines of
    int_incremental__order_lines (a line without an order line counts as ''). -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__order_lines') }}
with

invoice_lines as (

    select * from {{ ref('stg_providers__invoice_lines') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

order_lines as (

    select * from {{ ref('int_order_lines__lifecycle') }}

),

charges as (

    select
        *,
        row_number() over (
            partition by provider, order_line_id
            order by
                invoice_date,
                invoice_number,
                body_number,
                line_number,
                source_file,
                source_row
        ) as billing_seq
    from invoice_lines
    where document_type = 'TD01'

),

-- 1. An earlier TD01 line of the same provider for the same order line whose
-- period overlaps: earlier is an earlier invoice date, or the same date and
-- an invoice number that sorts first as text, or the same invoice and a
-- smaller line number (billing_seq orders exactly so, among the provider's
-- lines for the same order line).
duplicates as (

    select
        later.provider,
        later.order_line_id,
        later.billing_seq,
        min(earlier.billing_seq) as duplicate_of_billing_seq
    from charges as later
    inner join charges as earlier
        on
            later.provider = earlier.provider
            and later.order_line_id = earlier.order_line_id
            and later.billing_seq > earlier.billing_seq
            and later.period_end_date >= earlier.period_start_date
            and later.period_start_date <= earlier.period_end_date
    group by later.provider, later.order_line_id, later.billing_seq

),

with_contract as (

    select
        charges.*,
        duplicates.duplicate_of_billing_seq,
        order_lines.order_line_id is not null as is_in_crm_for_provider,
        crm_any_provider.order_id,
        crm_any_provider.customer_vat as crm_customer_vat,
        order_lines.quantity as crm_quantity,
        order_lines.unit_price_eur as crm_unit_price_eur,
        order_lines.contracted_monthly_eur,
        order_lines.vat_rate as crm_vat_rate,
        order_lines.activation_date,
        order_lines.termination_date,
        crm_any_provider.provider as crm_provider,
        -- a line without a charged period is judged as charging no billable day
        day(last_day(coalesce(charges.period_start_date, charges.invoice_date))) as days_in_month
    from charges
    left join duplicates
        on
            charges.provider = duplicates.provider
            and charges.order_line_id = duplicates.order_line_id
            and charges.billing_seq = duplicates.billing_seq
    left join order_lines
        on
            charges.order_line_id = order_lines.order_line_id
            and charges.provider = order_lines.provider
    left join order_lines as crm_any_provider
        on charges.order_line_id = crm_any_provider.order_line_id

),

-- A day is billable when the line is active on it: on or after the
-- activation date and before the termination date.
billable as (

    select
        *,
        case
            when activation_date is null or period_start_date is null or period_end_date is null then 0
            else greatest(
                0,
                datediff(
                    'day',
                    greatest(period_start_date, activation_date),
                    least(period_end_date, coalesce(cast(termination_date - interval 1 day as date), period_end_date))
                ) + 1
            )
        end as billable_days
    from with_contract

),

expected as (

    select
        *,
        {{ round_half_away('net_amount_eur', 2) }} as billed_eur,
        case
            when is_in_crm_for_provider
                then {{ divide_round_half_away('contracted_monthly_eur * billable_days', 'days_in_month') }}
        end as expected_eur
    from billable

),

differences as (

    select
        *,
        net_amount_eur - expected_eur as difference_eur
    from expected

),

judged as (

    select
        *,
        case
            when duplicate_of_billing_seq is not null then 'DUPLICATE_CHARGE'
            when
                not is_in_crm_for_provider
                or activation_date is null
                or activation_date > invoice_date
                then 'BILLED_NOT_ACTIVE'
            when abs(difference_eur) <= {{ tolerance('amount_tolerance_eur') }} then null
            when termination_date is not null and period_end_date >= termination_date
                then 'BILLED_AFTER_CANCELLATION'
            when period_start_date < activation_date then 'BILLED_BEFORE_ACTIVATION'
            when abs(unit_price_eur - crm_unit_price_eur) > {{ tolerance('price_tolerance_eur') }}
                then 'PRICE_MISMATCH'
            when quantity != crm_quantity then 'QUANTITY_MISMATCH'
            else 'PRORATA_ERROR'
        end as billing_exception_type
    from differences

),

final as (

    select
        judged.provider,
        judged.invoice_number,
        judged.document_type,
        judged.invoice_date,
        judged.customer_vat,
        judged.body_number,
        judged.line_number,
        judged.billing_seq,
        judged.order_line_id,
        judged.order_id,
        judged.crm_customer_vat,
        judged.crm_provider,
        judged.is_in_crm_for_provider,
        judged.sku,
        judged.quantity,
        judged.crm_quantity,
        judged.unit_price_eur,
        judged.crm_unit_price_eur,
        judged.contracted_monthly_eur,
        judged.vat_rate,
        judged.crm_vat_rate,
        judged.period_start_date,
        judged.period_end_date,
        judged.activation_date,
        judged.termination_date,
        judged.days_in_month,
        judged.billable_days,
        judged.net_amount_eur,
        judged.vat_amount_eur,
        judged.billed_eur,
        judged.expected_eur,
        {{ round_half_away('judged.difference_eur', 2) }} as difference_eur,
        duplicate_of.invoice_number as duplicate_of_invoice_number,
        duplicate_of.line_number as duplicate_of_line_number,
        judged.billing_exception_type,
        case
            when judged.billing_exception_type in ('DUPLICATE_CHARGE', 'BILLED_NOT_ACTIVE')
                then judged.billed_eur
            when judged.billing_exception_type is not null
                then {{ round_half_away('judged.difference_eur', 2) }}
        end as exception_amount_eur,
        judged.source_file,
        judged.source_row
    from judged
    left join charges as duplicate_of
        on
            judged.provider = duplicate_of.provider
            and judged.order_line_id = duplicate_of.order_line_id
            and judged.duplicate_of_billing_seq = duplicate_of.billing_seq

)

select * from final
