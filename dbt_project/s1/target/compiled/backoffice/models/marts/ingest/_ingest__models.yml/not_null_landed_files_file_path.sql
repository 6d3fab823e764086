
    
    



select file_path
from "wh"."marts"."landed_files"
where file_path is null


