// GrowthCurves module (to be written).
