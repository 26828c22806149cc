/// A quantile read from the histogram.
public struct QuantileEstimate: Sendable, Equatable {
    /// The estimate of the type-7 sample quantile (linear interpolation between order statistics
    /// at h = (n − 1)p). NaN when the series has no finite values.
    public var value: Double
    /// True when `value` is guaranteed within 2⁻¹⁰ (< 0.1 %) relative of the exact sample quantile:
    /// both order statistics it interpolates lie in log-linear buckets of the same sign, or are the
    /// exact minimum/maximum. False when one lies in the underflow or overflow counter (outside the
    /// series range) or in the near-zero bucket (absolute error up to twice the floor
    /// 2^(⌊log2 max|range|⌋ − 12) there), or when they straddle zero.
    public var isWithinResolution: Bool

    public init(value: Double, isWithinResolution: Bool) {
        self.value = value
        self.isWithinResolution = isWithinResolution
    }
}

extension StatisticsAccumulator {
    /// Type-7 quantile of the finite values of one series; `probability` in [0, 1].
    public func quantile(series: TrackedSeriesIndex, probability: Double) -> QuantileEstimate {
        quantiles(series: series, probabilities: [probability])[0]
    }

    /// Several quantiles of one series with one pass over its histogram.
    public func quantiles(series: TrackedSeriesIndex, probabilities: [Double]) -> [QuantileEstimate] {
        precondition(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 }, "probabilities must lie in [0, 1]")
        let n = moments[series.position].count
        guard n > 0 else { return probabilities.map { _ in QuantileEstimate(value: .nan, isWithinResolution: false) } }
        let positions = probabilities.map { Double(n - 1) * $0 }
        var ranks = Set<UInt64>()
        for h in positions {
            let below = UInt64(h.rounded(.down))
            ranks.insert(below)
            if below + 1 < n { ranks.insert(below + 1) }
        }
        let statistics = orderStatistics(series: series, sortedRanks: ranks.sorted())
        return positions.map { h in
            let below = UInt64(h.rounded(.down))
            let fraction = h - h.rounded(.down)
            let low = statistics[below]!
            guard fraction > 0, below + 1 < n else { return QuantileEstimate(value: low, isWithinResolution: true) }
            let high = statistics[below + 1]!
            return QuantileEstimate(value: low + fraction * (high - low), isWithinResolution: !(low < 0 && high > 0))
        }
    }

    /// Estimates of order statistics (0-based ranks among the finite values) from the histogram:
    /// the exact extremes for the first and last rank, otherwise the rank's position spread evenly
    /// over its bucket.
    private func orderStatistics(series: TrackedSeriesIndex, sortedRanks: [UInt64]) -> [UInt64: Double] {
        let m = moments[series.position]
        var result: [UInt64: Double] = [:]
        var next = 0, before: UInt64 = 0
        forEachBucket(series: series) { low, high, inBucket in
            while next < sortedRanks.count && sortedRanks[next] < before + inBucket {
                let rank = sortedRanks[next]
                if rank == 0 || rank == m.count - 1 {
                    result[rank] = rank == 0 ? m.minimum : m.maximum
                } else if low > -0x1p-1031 && high < 0x1p-1031 {
                    // The buckets of ±0 and the subnormals below 2⁻¹⁰³²: zeros, in practice (a difference of
                    // equal values), which a position spread over the bucket would print as 1e-311.
                    result[rank] = min(max(0, low), high)
                } else {
                    let weight = (Double(rank - before) + 0.5) / Double(inBucket)
                    result[rank] = min(max(low * (1 - weight) + high * weight, low), high)
                }
                next += 1
            }
            before += inBucket
            return next < sortedRanks.count
        }
        return result
    }

    /// Calls `body` with the non-empty buckets of a series' finite values in value order, each
    /// bucket's interval clipped to the exact extremes and its count, until `body` returns false.
    /// The buckets are the log-linear slots, and in place of each unresolved slot the full keys
    /// spilled from it: every bucket is 2⁻¹⁰ relative wide (or 2⁻¹⁰³² absolute, near zero).
    func forEachBucket(series: TrackedSeriesIndex, _ body: (_ low: Double, _ high: Double, _ count: UInt64) -> Bool) {
        let geometry = layout.geometries[series.position]
        let offset = layout.slotOffsets[series.position]
        let m = moments[series.position]
        guard m.count > 0 else { return }
        let wide = !binHighWords.isEmpty
        // Read where they are packed, one at a time: decoded whole they took 8 times the memory.
        (spills[series.position]?.merged ?? SpillRun()).withCursor { spilled in
            var next = spilled.next()
            bins.withUnsafeBufferPointer { all in
                let counts = all.baseAddress! + offset
                // No finite value lies outside the slots of the extremes.
                for slot in geometry.slot(of: m.minimum)...geometry.slot(of: m.maximum) {
                    let inSlot = wide ? binCount(flatIndex: offset + slot) : UInt64(counts[slot])
                    guard inSlot > 0 else { continue }
                    if geometry.isSpilled(slot: slot) {
                        // The slot's keys are the next ones in order, and their counts add up to the slot's.
                        while let entry = next, geometry.slot(of: SeriesGeometry.value(spillKey: entry.key)) == slot {
                            let interval = SeriesGeometry.valueInterval(spillKey: entry.key)
                            guard body(max(interval.lower, m.minimum), min(interval.upper, m.maximum), entry.count) else { return }
                            next = spilled.next()
                        }
                    } else {
                        let interval = geometry.valueInterval(slot: slot)
                        guard body(max(interval.lower, m.minimum), min(interval.upper, m.maximum), inSlot) else { return }
                    }
                }
            }
        }
    }
}
