// Sampling module (to be written).
