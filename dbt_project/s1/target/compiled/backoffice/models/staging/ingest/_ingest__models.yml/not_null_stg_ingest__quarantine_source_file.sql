
    
    



select source_file
from "wh"."staging"."stg_ingest__quarantine"
where source_file is null


