{#- The billing controls of single TD01 invoice lines (RULES.md 1 to 8):
    one row per invoice line whose judgement found a cause. -#}
with

judged_lines as (

    select * from {{ ref('int_invoice_lines__judged') }}

),

found as (

    select
        billing_exception_type as exception_type,
        provider,
        coalesce(customer_vat, crm_customer_vat) as customer_vat,
        order_id,
        order_line_id,
        invoice_number,
        line_number as invoice_line,
        cast(null as varchar) as period_month,
        cast(null as integer) as age_business_days,
        cast(null as integer) as sla_business_days,
        cast(exception_amount_eur as decimal(18, 2)) as amount_eur,
        {{ severity('exception_amount_eur') }} as severity,
        'provider_billing' as owner,
        'billed ' || {{ eur_text('billed_eur') }}
        || ' for ' || coalesce(cast(period_start_date as varchar), '?')
        || '..' || coalesce(cast(period_end_date as varchar), '?')
        || case billing_exception_type
            when 'DUPLICATE_CHARGE'
                then
                    ': the period overlaps invoice ' || duplicate_of_invoice_number
                    || ' line ' || cast(duplicate_of_line_number as varchar)
                    || ' for the same order line'
            when 'BILLED_NOT_ACTIVE'
                then
                    case
                        when crm_provider is null then ': the order line is not in the CRM'
                        when crm_provider != provider
                            then ': the CRM gives the order line to ' || crm_provider
                        when activation_date is null
                            then ': the line was never ACTIVE'
                        else
                            ': the line was not ACTIVE by the invoice date '
                            || cast(invoice_date as varchar)
                            || ' (activated ' || cast(activation_date as varchar) || ')'
                    end
            else
                ', expected ' || {{ eur_text('expected_eur') }}
                || case billing_exception_type
                    when 'BILLED_AFTER_CANCELLATION'
                        then
                            ': the period ends on or after the termination date '
                            || cast(termination_date as varchar)
                    when 'BILLED_BEFORE_ACTIVATION'
                        then
                            ': the period starts before the activation date '
                            || cast(activation_date as varchar)
                    when 'PRICE_MISMATCH'
                        then
                            ': unit price ' || {{ price_text('unit_price_eur') }}
                            || ' vs contracted ' || {{ price_text('crm_unit_price_eur') }}
                    when 'QUANTITY_MISMATCH'
                        then
                            ': quantity ' || {{ quantity_text('quantity') }}
                            || ' vs contracted ' || cast(crm_quantity as varchar)
                    else
                        ': ' || cast(billable_days as varchar) || ' billable days of '
                        || cast(days_in_month as varchar) || ' at contracted '
                        || {{ eur_text('contracted_monthly_eur') }} || ' a month ('
                        || cast(crm_quantity as varchar) || ' x unit price '
                        || {{ price_text('crm_unit_price_eur') }} || ')'
                end
        end as evidence,
        source_file,
        source_row
    from judged_lines
    where billing_exception_type is not null

)

select * from found
