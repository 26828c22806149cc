// ParallelRunner module (to be written).
