{#- Schema drift, per feed: every column a file's header gained, lost or had
    renamed compared with the previous header of its feed (files in delivery
    then name order), with the delivery that first showed the change and the
    latest delivery that still shows it, up to D. A rename is a lost and a
    gained column at the same position of the header. -#}
with

landed_files as (

    select * from {{ ref('stg_ingest__landed_files') }}

),

headers as (

    select
        source,
        feed,
        file_path,
        delivery_date,
        header_columns,
        lag(header_columns) over (
            partition by source, feed order by delivery_date, file_path
        ) as previous_header_columns,
        lag(file_path) over (
            partition by source, feed order by delivery_date, file_path
        ) as previous_file_path
    from landed_files
    where header_columns is not null

),

header_cells as (

    select
        source,
        feed,
        file_path,
        unnest(header_columns) as column_name,
        generate_subscripts(header_columns, 1) as column_position
    from headers
    where previous_header_columns is not null

),

previous_cells as (

    select
        source,
        feed,
        file_path,
        unnest(previous_header_columns) as column_name,
        generate_subscripts(previous_header_columns, 1) as column_position
    from headers
    where previous_header_columns is not null

),

gained as (

    select header_cells.*
    from header_cells
    inner join headers
        on
            header_cells.source = headers.source
            and header_cells.feed = headers.feed
            and header_cells.file_path = headers.file_path
    where not list_contains(headers.previous_header_columns, header_cells.column_name)

),

lost as (

    select previous_cells.*
    from previous_cells
    inner join headers
        on
            previous_cells.source = headers.source
            and previous_cells.feed = headers.feed
            and previous_cells.file_path = headers.file_path
    where not list_contains(headers.header_columns, previous_cells.column_name)

),

changes as (

    select
        coalesce(lost.source, gained.source) as source,
        coalesce(lost.feed, gained.feed) as feed,
        coalesce(lost.file_path, gained.file_path) as file_path,
        lost.column_name as old_column_name,
        gained.column_name as new_column_name,
        case
            when lost.column_name is not null and gained.column_name is not null then 'renamed'
            when lost.column_name is not null then 'lost'
            else 'gained'
        end as drift_type
    from lost
    full outer join gained
        on
            lost.source = gained.source
            and lost.feed = gained.feed
            and lost.file_path = gained.file_path
            and lost.column_position = gained.column_position

),

firsts as (

    select
        changes.*,
        headers.delivery_date as first_delivery_date,
        headers.previous_file_path
    from changes
    inner join headers
        on
            changes.source = headers.source
            and changes.feed = headers.feed
            and changes.file_path = headers.file_path

),

still_seen as (

    select
        firsts.source,
        firsts.feed,
        firsts.file_path,
        firsts.drift_type,
        firsts.old_column_name,
        firsts.new_column_name,
        max(later.delivery_date) as last_seen_date,
        arg_max(later.file_path, strftime(later.delivery_date, '%Y-%m-%d') || later.file_path)
            as last_seen_file_path
    from firsts
    inner join headers as later
        on
            firsts.source = later.source
            and firsts.feed = later.feed
            and (
                firsts.first_delivery_date < later.delivery_date
                or (firsts.first_delivery_date = later.delivery_date and firsts.file_path <= later.file_path)
            )
    where
        (firsts.new_column_name is null or list_contains(later.header_columns, firsts.new_column_name))
        and (firsts.old_column_name is null or not list_contains(later.header_columns, firsts.old_column_name))
    group by all

),

latest as (

    select
        source,
        feed,
        arg_max(file_path, strftime(delivery_date, '%Y-%m-%d') || file_path) as latest_file_path
    from headers
    group by source, feed

)

select
    firsts.source,
    firsts.feed,
    firsts.drift_type,
    coalesce(firsts.old_column_name, firsts.new_column_name) as column_name,
    case when firsts.drift_type = 'renamed' then firsts.new_column_name end as renamed_to,
    case firsts.drift_type
        when 'renamed' then 'column ' || firsts.old_column_name || ' renamed to ' || firsts.new_column_name
        else firsts.drift_type || ' column ' || coalesce(firsts.old_column_name, firsts.new_column_name)
    end as drift,
    firsts.first_delivery_date,
    firsts.file_path as first_file_path,
    firsts.previous_file_path as compared_with_file_path,
    still_seen.last_seen_date,
    still_seen.last_seen_file_path,
    coalesce(still_seen.last_seen_file_path = latest.latest_file_path, false) as is_current,
    {{ as_of_date() }} as as_of
from firsts
left join still_seen
    on
        firsts.source = still_seen.source
        and firsts.feed = still_seen.feed
        and firsts.file_path = still_seen.file_path
        and firsts.drift_type = still_seen.drift_type
        and firsts.old_column_name is not distinct from still_seen.old_column_name
        and firsts.new_column_name is not distinct from still_seen.new_column_name
left join latest
    on
        firsts.source = latest.source
        and firsts.feed = latest.feed
