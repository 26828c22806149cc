// Sensitivity module (to be written).
