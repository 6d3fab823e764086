
    select
        as_of, exception_id,
        count(*) as n_records
    from "wh"."marts"."exception_history"
    group by as_of, exception_id
    having count(*) > 1
