
    
    



select source_file
from "wh"."marts"."exceptions"
where source_file is null


