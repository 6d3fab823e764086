"""The benchmark: a night at a given size beside the parse floor and the naive peer."""
