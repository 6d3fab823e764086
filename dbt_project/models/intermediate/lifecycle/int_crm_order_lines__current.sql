{#- A CRM line's current version: its row with the latest updated_at among
    the versions delivered by the end of D (ties: the later file and row).
    Incremental: a night recomputes the lines of int_incremental__order_lines. -#}
-- depends_on: {{ ref('int_incremental__night') }}
-- depends_on: {{ ref('int_incremental__order_lines') }}
with

signed_orders as (

    select * from {{ ref('stg_crm__signed_orders') }}
    {% if is_incremental() -%}
    where {{ in_incremental_scope('order_line_id') }}
    {%- endif %}

),

ranked as (

    select
        *,
        row_number() over (
            partition by order_line_id
            order by updated_at desc, delivery_date desc, source_file desc, source_row_number desc nulls last
        ) as version_rank,
        count(*) over (partition by order_line_id) as versions_count
    from signed_orders

),

current_versions as (

    select
        order_line_id,
        order_id,
        customer_vat,
        customer_name,
        provider,
        sku,
        description,
        quantity,
        unit_price_eur,
        cast(quantity * unit_price_eur as decimal(18, 4)) as contracted_monthly_eur,
        vat_rate,
        signed_date,
        line_status,
        cancelled_date,
        updated_at,
        versions_count,
        source_file,
        source_row
    from ranked
    where version_rank = 1

)

select * from current_versions
