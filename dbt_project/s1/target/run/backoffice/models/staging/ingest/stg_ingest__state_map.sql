
  
  create view "wh"."staging"."stg_ingest__state_map__dbt_tmp" as (
    with

source as (

    select * from "wh"."raw"."state_map"

),

renamed as (

    select
        provider,
        provider_state,
        canonical_state

    from source

)

select * from renamed
  );
