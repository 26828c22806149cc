extension StatisticsAccumulator {
    /// The fraction of a series' finite values at or below `value` (the empirical CDF), reading
    /// values as spread evenly over their bucket, as the quantiles do. NaN for an empty series.
    public func fractionAtOrBelow(series: TrackedSeriesIndex, value: Double) -> Double {
        let m = moments[series.position]
        guard m.count > 0 else { return .nan }
        if value < m.minimum { return 0 }
        if value >= m.maximum { return 1 }
        var below: UInt64 = 0
        var fraction: Double?
        forEachBucket(series: series) { low, high, inBucket in
            if value >= high {
                below += inBucket
                return true
            }
            if value > low { fraction = (Double(below) + Double(inBucket) * (value - low) / (high - low)) / Double(m.count) }
            return false
        }
        return fraction ?? Double(below) / Double(m.count)
    }
}
