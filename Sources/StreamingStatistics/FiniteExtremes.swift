/// The least and greatest finite values of `values` (+∞ and −∞ when there are none), exactly as a
/// loop taking `min` and `max` value by value gives them, but four lanes at a time: a pilot chunk
/// scans every series of every sample.
public func finiteExtremes(_ values: UnsafeBufferPointer<Double>) -> (lower: Double, upper: Double) {
    guard let base = values.baseAddress else { return (.infinity, -.infinity) }
    let count = values.count
    var lows = SIMD4<Double>(repeating: .infinity), highs = SIMD4<Double>(repeating: -.infinity)
    var i = 0
    while i &+ 4 <= count {
        let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Double>.self)
        // NaN fails both comparisons.
        let finite = (v .< .infinity) .& (v .> -.infinity)
        lows.replace(with: v, where: finite .& (v .< lows))
        highs.replace(with: v, where: finite .& (v .> highs))
        i &+= 4
    }
    var lower = lows.min(), upper = highs.max()
    for value in values[i...] where value.isFinite {
        lower = min(lower, value)
        upper = max(upper, value)
    }
    // Only +0 and −0 are equal with other bits: there the loop's first one counts, which the lanes
    // do not keep.
    if lower == 0 || upper == 0 {
        (lower, upper) = (.infinity, -.infinity)
        for value in values where value.isFinite {
            lower = min(lower, value)
            upper = max(upper, value)
        }
    }
    return (lower, upper)
}
