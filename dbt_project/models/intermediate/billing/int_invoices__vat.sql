{#- The VAT of every TD01 invoice (RULES.md, VAT_ERROR): billed VAT (the sum
    of Imposta in DatiRiepilogo, or of imposta over its nuvola lines) against
    the expected VAT = the sum, over the CRM VAT rates r of its lines, of
    round(billed net at rate r x r / 100, 2) half away from zero. A line whose
    order line is not the CRM's for this provider counts at its own rate.
    Incremental: a night judges again the invoices of int_incremental__invoices. -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__invoices') }}
with

invoice_lines as (

    select * from {{ ref('stg_providers__invoice_lines') }}
    {% if is_incremental() -%}
    where {{ in_incremental_invoice_scope('provider', 'invoice_number') }}
    {%- endif %}

),

vat_summaries as (

    select * from {{ ref('stg_providers__invoice_vat_summaries') }}
    {% if is_incremental() -%}
    where {{ in_incremental_invoice_scope('provider', 'invoice_number') }}
    {%- endif %}

),

order_lines as (

    select * from {{ ref('int_crm_order_lines__current') }}

),

charges as (

    select
        invoice_lines.*,
        coalesce(order_lines.vat_rate, invoice_lines.vat_rate) as expected_vat_rate,
        row_number() over (
            partition by invoice_lines.provider, invoice_lines.invoice_number
            order by
                invoice_lines.body_number,
                invoice_lines.line_number,
                invoice_lines.source_file,
                invoice_lines.source_row
        ) as line_rank
    from invoice_lines
    left join order_lines
        on
            invoice_lines.order_line_id = order_lines.order_line_id
            and invoice_lines.provider = order_lines.provider
    where invoice_lines.document_type = 'TD01'

),

invoices as (

    select
        provider,
        invoice_number,
        min(invoice_date) as invoice_date,
        min(customer_vat) as customer_vat,
        count(*) as lines_count,
        sum(net_amount_eur) as net_amount_eur,
        sum(vat_amount_eur) as lines_vat_amount_eur,
        count(vat_amount_eur) as lines_with_vat_count
    from charges
    group by provider, invoice_number

),

first_lines as (

    select
        provider,
        invoice_number,
        order_line_id,
        source_file,
        source_row
    from charges
    where line_rank = 1

),

expected_by_rate as (

    select
        provider,
        invoice_number,
        expected_vat_rate,
        sum(net_amount_eur) as net_amount_eur,
        {{ round_half_away(
            'sum(net_amount_eur) * expected_vat_rate * cast(0.01 as decimal(3, 2))', 2) }}
            as expected_vat_eur
    from charges
    group by provider, invoice_number, expected_vat_rate

),

expected as (

    select
        provider,
        invoice_number,
        sum(expected_vat_eur) as expected_vat_eur,
        string_agg(
            cast(expected_vat_rate as varchar) || '% of '
            || cast(cast(net_amount_eur as decimal(18, 2)) as varchar)
            || ' = ' || cast(expected_vat_eur as varchar),
            ', ' order by expected_vat_rate
        ) as expected_vat_detail
    from expected_by_rate
    group by provider, invoice_number

),

summaries as (

    select
        provider,
        invoice_number,
        sum(vat_amount_eur) as summary_vat_amount_eur,
        count(*) as summaries_count
    from vat_summaries
    where document_type = 'TD01'
    group by provider, invoice_number

),

judged as (

    select
        invoices.provider,
        invoices.invoice_number,
        invoices.invoice_date,
        invoices.customer_vat,
        invoices.lines_count,
        invoices.net_amount_eur,
        case
            when summaries.summaries_count > 0 then 'summary'
            when invoices.lines_with_vat_count > 0 then 'lines'
        end as billed_vat_origin,
        cast(
            coalesce(summaries.summary_vat_amount_eur, invoices.lines_vat_amount_eur) as decimal(18, 8)
        ) as billed_vat_eur,
        cast(expected.expected_vat_eur as decimal(18, 2)) as expected_vat_eur,
        expected.expected_vat_detail,
        first_lines.order_line_id as first_order_line_id,
        first_lines.source_file,
        first_lines.source_row
    from invoices
    inner join expected
        on
            invoices.provider = expected.provider
            and invoices.invoice_number = expected.invoice_number
    inner join first_lines
        on
            invoices.provider = first_lines.provider
            and invoices.invoice_number = first_lines.invoice_number
    left join summaries
        on
            invoices.provider = summaries.provider
            and invoices.invoice_number = summaries.invoice_number

),

final as (

    select
        *,
        {{ round_half_away('billed_vat_eur - expected_vat_eur', 2) }} as vat_difference_eur,
        coalesce(
            abs(billed_vat_eur - expected_vat_eur) > {{ tolerance('amount_tolerance_eur') }},
            false
        ) as is_vat_error
    from judged

)

select * from final
