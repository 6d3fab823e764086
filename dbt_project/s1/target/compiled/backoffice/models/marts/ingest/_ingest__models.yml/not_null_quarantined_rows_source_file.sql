
    
    



select source_file
from "wh"."marts"."quarantined_rows"
where source_file is null


