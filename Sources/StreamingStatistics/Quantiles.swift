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
    public func quantile(series: Int, probability: Double) -> QuantileEstimate {
        quantiles(series: series, probabilities: [probability])[0]
    }

    /// Several quantiles of one series with one pass over its histogram.
    public func quantiles(series: Int, probabilities: [Double]) -> [QuantileEstimate] {
        precondition(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 }, "probabilities must lie in [0, 1]")
        let n = moments[series].count
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
            guard fraction > 0, below + 1 < n else {
                return QuantileEstimate(value: low.value, isWithinResolution: low.resolved)
            }
            let high = statistics[below + 1]!
            let straddlesZero = low.value < 0 && high.value > 0
            return QuantileEstimate(value: low.value + fraction * (high.value - low.value),
                                    isWithinResolution: low.resolved && high.resolved && !straddlesZero)
        }
    }

    /// Estimates of order statistics (0-based ranks among the finite values) from the histogram:
    /// the exact extremes for the first and last rank, otherwise the rank's position spread evenly
    /// over its bucket, clipped to the exact extremes.
    private func orderStatistics(series: Int, sortedRanks: [UInt64]) -> [UInt64: (value: Double, resolved: Bool)] {
        let geometry = layout.geometries[series]
        let offset = layout.slotOffsets[series]
        let m = moments[series]
        let wide = !binHighWords.isEmpty
        var result: [UInt64: (value: Double, resolved: Bool)] = [:]
        bins.withUnsafeBufferPointer { all in
            let counts = all.baseAddress! + offset
            @inline(__always) func count(_ slot: Int) -> UInt64 { wide ? binCount(flatIndex: offset + slot) : UInt64(counts[slot]) }
            // No finite value lies below the minimum's slot, and every rank is below the finite
            // count, so the scan starts there and stops inside the ordered slots.
            var slot = geometry.slot(of: m.minimum), before: UInt64 = 0, inSlot = count(slot)
            for rank in sortedRanks {
                while before + inSlot <= rank {
                    before += inSlot
                    slot += 1
                    inSlot = count(slot)
                }
                if rank == 0 || rank == m.count - 1 {
                    result[rank] = (rank == 0 ? m.minimum : m.maximum, true)
                } else {
                    let interval = geometry.valueInterval(slot: slot)
                    let low = max(interval.lower, m.minimum), high = min(interval.upper, m.maximum)
                    let weight = (Double(rank - before) + 0.5) / Double(inSlot)
                    let value = min(max(low * (1 - weight) + high * weight, low), high)
                    // A bucket clipped to a single point by the extremes gives the exact value.
                    result[rank] = (value, interval.resolved || low == high)
                }
            }
        }
        return result
    }
}
