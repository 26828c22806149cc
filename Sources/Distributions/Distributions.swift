// Distributions module (to be written).
