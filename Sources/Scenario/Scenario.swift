// Scenario module (to be written).
