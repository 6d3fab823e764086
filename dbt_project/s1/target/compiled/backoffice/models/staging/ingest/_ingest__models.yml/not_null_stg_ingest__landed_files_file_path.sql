
    
    



select file_path
from "wh"."staging"."stg_ingest__landed_files"
where file_path is null


