/// The least and greatest finite values of `values` (+∞ and −∞ when there are none), exactly as a
/// loop taking `min` and `max` value by value gives them, but sixteen values at a time: a pilot chunk
/// scans every series of every sample.
public func finiteExtremes(_ values: UnsafeBufferPointer<Double>) -> (lower: Double, upper: Double) {
    guard let base = values.baseAddress else { return (.infinity, -.infinity) }
    let count = values.count
    // Four chains of four lanes: each compare and blend waits only for its own chain's last one
    // (one chain was bound by that latency).
    var low0 = SIMD4<Double>(repeating: .infinity), low1 = low0, low2 = low0, low3 = low0
    var high0 = SIMD4<Double>(repeating: -.infinity), high1 = high0, high2 = high0, high3 = high0
    var i = 0
    while i &+ 16 <= count {
        let lanes = UnsafeRawPointer(base + i)
        foldExtremes(lanes.loadUnaligned(as: SIMD4<Double>.self), into: &low0, &high0)
        foldExtremes(lanes.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self), into: &low1, &high1)
        foldExtremes(lanes.loadUnaligned(fromByteOffset: 64, as: SIMD4<Double>.self), into: &low2, &high2)
        foldExtremes(lanes.loadUnaligned(fromByteOffset: 96, as: SIMD4<Double>.self), into: &low3, &high3)
        i &+= 16
    }
    // The chains hold no NaN, so plain comparisons combine them (the library's `pointwiseMin` and
    // `min()` handle NaN lane by lane, in calls that cost as much as the loop).
    merge(low1, high1, into: &low0, &high0)
    merge(low2, high2, into: &low0, &high0)
    merge(low3, high3, into: &low0, &high0)
    var lower = min(min(low0[0], low0[1]), min(low0[2], low0[3]))
    var upper = max(max(high0[0], high0[1]), max(high0[2], high0[3]))
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

/// Keeps in `low` and `high` the lanes of `values` below and above them, finite ones only.
@inline(__always)
private func foldExtremes(_ values: SIMD4<Double>, into low: inout SIMD4<Double>, _ high: inout SIMD4<Double>) {
    // NaN fails every comparison; +∞ is never below a low, nor −∞ above a high.
    low.replace(with: values, where: (values .< low) .& (values .> -.infinity))
    high.replace(with: values, where: (values .> high) .& (values .< .infinity))
}

/// Keeps in `lows` and `highs` the lanes of another chain's `low` and `high` below and above them.
@inline(__always)
private func merge(_ low: SIMD4<Double>, _ high: SIMD4<Double>, into lows: inout SIMD4<Double>, _ highs: inout SIMD4<Double>) {
    lows.replace(with: low, where: low .< lows)
    highs.replace(with: high, where: high .> highs)
}
