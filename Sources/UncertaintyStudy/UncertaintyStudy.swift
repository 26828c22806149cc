// UncertaintyStudy module (to be written).
