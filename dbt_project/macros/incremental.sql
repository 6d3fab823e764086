{#- Incremental nights (issue #8). The heavy per-order-line models of the
    intermediate layer (int_crm_order_lines__current, int_order_timeline,
    int_order_lines__states, int_invoice_lines__judged,
    int_invoice_lines__judgements, int_order_line_months__billing) keep their rows
    between nights and recompute only the order lines a night can change:
    int_incremental__order_lines lists them (and int_incremental__invoices
    the invoices int_invoices__vat judges again), int_incremental__night says
    whether the night rebuilds everything instead (no earlier build, an earlier
    date than the last build, the configuration or the code changed, or
    `dbt build --full-refresh`). Each of those models deletes its rows in scope
    (pre-hook `delete_incremental_scope`) and inserts them again, computed
    from the same SQL filtered by `in_incremental_scope`: a rerun of the same
    date gives the same rows, never twice. -#}

{#- The SQL predicate "this row's order line is recomputed tonight". `key` is
    the row's order line id (null counts as ''); `everything_when` is a SQL
    condition under which every row is recomputed (e.g. the billing cutoff
    moved). Its model must declare
    `-- depends_on: {{ ref('int_incremental__night') }}` and
    `-- depends_on: {{ ref('int_incremental__order_lines') }}`. -#}
{% macro in_incremental_scope(key, everything_when='false') -%}
    (
        (select night.is_full_rebuild from {{ ref('int_incremental__night') }} as night)
        or ({{ everything_when }})
        or coalesce({{ key }}, '') in (
            select scope.order_line_key from {{ ref('int_incremental__order_lines') }} as scope
        )
    )
{%- endmacro %}

{#- The SQL predicate "this invoice is judged again tonight" for the
    per-invoice incremental model (int_invoices__vat): its provider and number
    are in int_incremental__invoices. Its model must declare
    `-- depends_on: {{ ref('int_incremental__night') }}` and
    `-- depends_on: {{ ref('int_incremental__invoices') }}`. -#}
{% macro in_incremental_invoice_scope(provider, invoice_number) -%}
    (
        (select night.is_full_rebuild from {{ ref('int_incremental__night') }} as night)
        or ({{ provider }}, {{ invoice_number }}) in (
            select scope.provider, scope.invoice_number from {{ ref('int_incremental__invoices') }} as scope
        )
    )
{%- endmacro %}

{#- "This landed row (staging alias `row`) came in tonight's window": loaded
    after the last build's date or on D (a rerun of the same date), or
    delivered after the last build's date up to D, or dated there by one of
    `dated_columns`. Needs the one-row `window_bounds` (previous_as_of,
    as_of) in the query. -#}
{% macro landed_in_window(row, dated_columns=[]) -%}
    (
        {{ local_date(row ~ '.loaded_at') }} > window_bounds.previous_as_of
        or {{ local_date(row ~ '.loaded_at') }} = window_bounds.as_of
        or {{ row }}.delivery_date between window_bounds.previous_as_of + 1 and window_bounds.as_of
        {%- for column in dated_columns %}
        or {{ row }}.{{ column }} between window_bounds.previous_as_of + 1 and window_bounds.as_of
        {%- endfor %}
    )
{%- endmacro %}

{#- Pre-hook of an incremental model: remove the rows tonight recomputes.
    Renders nothing when the table does not exist yet (dbt then builds it
    whole) and nothing when dbt rebuilds it whole anyway (--full-refresh). -#}
{% macro delete_incremental_scope(relation, key, everything_when='false') -%}
    {{- delete_incremental_rows(relation, in_incremental_scope(key, everything_when)) -}}
{%- endmacro %}

{#- The same for the per-invoice model: remove the invoices judged again tonight. -#}
{% macro delete_incremental_invoice_scope(relation) -%}
    {{- delete_incremental_rows(relation, in_incremental_invoice_scope('provider', 'invoice_number')) -}}
{%- endmacro %}

{#- The same for marts.row_lineage: every row but those of order_lines and
    invoice_lines whose order line is out of tonight's scope; every row when
    the night rebuilds everything (an earlier date drops later deliveries,
    which the marts of that date no longer list). -#}
{% macro delete_row_lineage_scope(relation) -%}
    {%- set predicate -%}
        (select night.is_full_rebuild from {{ ref('int_incremental__night') }} as night)
        or mart not in ('marts.order_lines', 'marts.invoice_lines')
        or (mart = 'marts.order_lines' and {{ in_incremental_scope('row_key') }})
        or (
            mart = 'marts.invoice_lines'
            and row_key in (
                select invoice_lines.source_file || '#' || invoice_lines.source_row
                from {{ ref('invoice_lines') }} as invoice_lines
                where {{ in_incremental_scope('invoice_lines.order_line_id') }}
            )
        )
    {%- endset -%}
    {{- delete_incremental_rows(relation, predicate) -}}
{%- endmacro %}

{% macro delete_incremental_rows(relation, predicate) -%}
    {%- if execute and not flags.FULL_REFRESH -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if existing is not none -%}
            delete from {{ existing }} where {{ predicate }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- What the incremental models' rows depend on besides the landed rows: the
    code of those models and of every model and seed upstream of them (dbt's
    checksums; a change there rebuilds everything the next night, a change
    elsewhere in the project does not) and the business vars. A macro change
    is not seen here: deploy it with a night run with --full-refresh. -#}
{% macro configuration_fingerprint() -%}
    {%- if not execute -%}
        {{- return("''") -}}
    {%- endif -%}
    {%- set roots = [
        'int_crm_order_lines__current', 'int_order_timeline', 'int_order_lines__states',
        'int_invoice_lines__judged', 'int_invoice_lines__judgements', 'int_order_line_months__billing',
        'int_invoices__vat',
        'row_lineage', 'int_incremental__order_lines', 'int_incremental__invoices',
        'int_incremental__night'] -%}
    {%- set seen = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name and node.name in roots -%}
            {%- do seen.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- the ancestors, a generation per pass (the project is far shallower than 20) -#}
    {%- for _ in range(20) -%}
        {%- for unique_id in seen | list -%}
            {%- for parent in graph.nodes[unique_id].depends_on.nodes -%}
                {%- if parent in graph.nodes and parent not in seen -%}
                    {%- do seen.append(parent) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for name in [
        'price_tolerance_eur', 'amount_tolerance_eur', 'billing_grace_days', 'business_timezone',
        'calendar_start_year', 'calendar_end_year'] -%}
        {%- do parts.append(name ~ '=' ~ var(name)) -%}
    {%- endfor -%}
    {%- for unique_id in seen | sort -%}
        {%- do parts.append(unique_id ~ '=' ~ graph.nodes[unique_id].checksum.checksum) -%}
    {%- endfor -%}
    {{- return("'" ~ local_md5(parts | join('|')) ~ "'") -}}
{%- endmacro %}

{#- The relation that records the incremental builds (a sibling of `relation`
    in the intermediate schema), or none before the first build. Looked up by
    name, not ref(): the record is written after the models that read it. -#}
{% macro incremental_builds_relation(relation) -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier='int_incremental__builds')) -}}
{%- endmacro %}

{#- ACTIVE_NOT_BILLED's cutoff (RULES.md): the last day of the latest month M
    with D - last_day(M) >= the billing grace. -#}
{% macro billing_last_judged_date(as_of_expression) -%}
    (
        case
            when
                last_day(cast({{ as_of_expression }} - to_days({{ var('billing_grace_days') | int }}) as date))
                = cast({{ as_of_expression }} - to_days({{ var('billing_grace_days') | int }}) as date)
                then cast({{ as_of_expression }} - to_days({{ var('billing_grace_days') | int }}) as date)
            else cast(
                date_trunc('month', cast({{ as_of_expression }} - to_days({{ var('billing_grace_days') | int }}) as date))
                - interval 1 day as date
            )
        end
    )
{%- endmacro %}
