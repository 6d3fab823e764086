with

source as (

    select * from {{ source('registry', 'feed_schedule') }}

),

renamed as (

    select
        source,
        feed,
        source || '/' || feed as feed_name,
        kind as feed_kind,
        format as feed_format,
        rhythm_every,
        rhythm_weekday as rhythm_iso_weekday,
        rhythm_day as rhythm_day_of_month,
        rhythm_grace as rhythm_grace_business_days,
        rhythm_description,
        registry_position

    from source

)

select * from renamed
