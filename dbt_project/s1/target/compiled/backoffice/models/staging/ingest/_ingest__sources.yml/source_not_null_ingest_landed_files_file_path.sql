
    
    



select file_path
from "wh"."raw"."landed_files"
where file_path is null


