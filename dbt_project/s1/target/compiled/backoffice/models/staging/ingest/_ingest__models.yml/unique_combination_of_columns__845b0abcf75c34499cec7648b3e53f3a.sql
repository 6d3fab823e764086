
    select
        provider, provider_state,
        count(*) as n_records
    from "wh"."staging"."stg_ingest__state_map"
    group by provider, provider_state
    having count(*) > 1
