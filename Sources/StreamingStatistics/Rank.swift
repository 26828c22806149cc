extension StatisticsAccumulator {
    /// The fraction of a series' finite values at or below `value` (the empirical CDF), reading
    /// values as spread evenly over their bucket, as the quantiles do. NaN for an empty series.
    public func fractionAtOrBelow(series: Int, value: Double) -> Double {
        let m = moments[series]
        guard m.count > 0 else { return .nan }
        if value < m.minimum { return 0 }
        if value >= m.maximum { return 1 }
        let geometry = layout.geometries[series]
        let offset = layout.slotOffsets[series]
        var below: UInt64 = 0
        for slot in 0...geometry.overflowSlot {
            let inSlot = binCount(flatIndex: offset + slot)
            guard inSlot > 0 else { continue }
            let interval = geometry.valueInterval(slot: slot)
            let low = max(interval.lower, m.minimum), high = min(interval.upper, m.maximum)
            if value >= high {
                below += inSlot
                continue
            }
            if value > low { return (Double(below) + Double(inSlot) * (value - low) / (high - low)) / Double(m.count) }
            break
        }
        return Double(below) / Double(m.count)
    }
}
