// StreamingStatistics module (to be written).
