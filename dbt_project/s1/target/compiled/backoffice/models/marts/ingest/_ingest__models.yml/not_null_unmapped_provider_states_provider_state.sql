
    
    



select provider_state
from "wh"."marts"."unmapped_provider_states"
where provider_state is null


