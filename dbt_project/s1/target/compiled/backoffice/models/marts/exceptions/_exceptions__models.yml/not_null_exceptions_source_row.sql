
    
    



select source_row
from "wh"."marts"."exceptions"
where source_row is null


