{#- The invoices int_invoices__vat judges again tonight (empty when the night
    rebuilds everything, see int_incremental__night): every invoice with a
    line on an order line of int_incremental__order_lines (a line landed
    tonight, or its order line's CRM version changed, which may change the
    VAT rate it is judged at) and every invoice with a VAT summary landed in
    tonight's window. Nothing else about an invoice's VAT changes from one
    night to the next. -#}
with

night as (

    select * from {{ ref('int_incremental__night') }}

),

order_lines_in_scope as (

    select * from {{ ref('int_incremental__order_lines') }}

),

invoice_lines as (

    select * from {{ ref('stg_providers__invoice_lines') }}

),

vat_summaries as (

    select * from {{ ref('stg_providers__invoice_vat_summaries') }}

),

window_bounds as (

    select
        previous_as_of,
        as_of
    from night
    where not is_full_rebuild

),

touched as (

    select
        invoice_lines.provider,
        invoice_lines.invoice_number
    from invoice_lines
    inner join order_lines_in_scope
        on coalesce(invoice_lines.order_line_id, '') = order_lines_in_scope.order_line_key

    union all

    select
        vat_summaries.provider,
        vat_summaries.invoice_number
    from vat_summaries
    cross join window_bounds
    where {{ landed_in_window('vat_summaries') }}

),

scope as (

    select distinct
        provider,
        invoice_number
    from touched

)

select * from scope
