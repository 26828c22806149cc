// LeastSquares module (to be written).
