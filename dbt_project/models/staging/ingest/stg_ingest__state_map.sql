with

source as (

    select * from {{ source('ingest', 'state_map') }}

),

renamed as (

    select
        provider,
        provider_state,
        canonical_state

    from source

)

select * from renamed
