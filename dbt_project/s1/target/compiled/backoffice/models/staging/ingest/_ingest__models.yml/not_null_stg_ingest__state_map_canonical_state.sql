
    
    



select canonical_state
from "wh"."staging"."stg_ingest__state_map"
where canonical_state is null


