extension StatisticsAccumulator {
    /// Number of finite values seen.
    public func count(series: TrackedSeriesIndex) -> UInt64 { moments[series.position].count }

    /// Number of NaN and infinite values seen (excluded from every other statistic).
    public func nonFiniteCount(series: TrackedSeriesIndex) -> UInt64 { moments[series.position].nonFiniteCount }

    /// Smallest finite value seen, exactly; NaN when there is none.
    public func minimum(series: TrackedSeriesIndex) -> Double {
        moments[series.position].count > 0 ? moments[series.position].minimum : .nan
    }

    /// Largest finite value seen, exactly; NaN when there is none.
    public func maximum(series: TrackedSeriesIndex) -> Double {
        moments[series.position].count > 0 ? moments[series.position].maximum : .nan
    }

    /// True when the mean or the standard deviation (and so the standard error) cannot be computed
    /// and is NaN: a chunk's sum or square sum left the doubles (values beyond about 1e154), or,
    /// for chunks far outside the series range, the deviation is lost in the cancellation of its sums.
    package func momentsSaturated(series: TrackedSeriesIndex) -> Bool {
        let count = moments[series.position].count
        return count > 0 && (mean(series: series).isNaN || (count > 1 && standardDeviation(series: series).isNaN))
    }

    /// The sums Σ (x − shift) and Σ (x − shift)², each nil when it is not computable.
    private func shiftedSums(series: TrackedSeriesIndex) -> (sum: Double?, squares: Double?) {
        let m = moments[series.position]
        let geometry = layout.geometries[series.position]
        var sum = scaled(Double(m.shiftedSum), by: geometry.firstMomentExponent)
        var squares = scaled(Double(m.shiftedSquareSum), by: geometry.secondMomentExponent)
        guard let wide = wideMoments[series.position] else { return (sum, squares) }
        sum += wide.sum.value
        squares += wide.squareSum.value
        return (wide.sumOverflowed || !sum.isFinite ? nil : sum, wide.squaresOverflowed || !squares.isFinite ? nil : squares)
    }

    /// Arithmetic mean of the finite values; NaN when there are none or it is not computable.
    /// Kept within the exact extremes, where the mean lies: a series of one value has that mean exactly.
    public func mean(series: TrackedSeriesIndex) -> Double {
        let m = moments[series.position]
        guard m.count > 0, let sum = shiftedSums(series: series).sum else { return .nan }
        return min(max(layout.geometries[series.position].shift + sum / Double(m.count), m.minimum), m.maximum)
    }

    /// Sample standard deviation (divisor n − 1); NaN for fewer than two values or when not computable.
    /// At most (max − min)/2·√(n/(n − 1)), the largest it can be for values within the exact
    /// extremes: the sums' rounding, about 2⁻²⁶ of the distance to the shift, exceeds the deviation
    /// of a near-constant series, and a series of one value has deviation 0 exactly.
    public func standardDeviation(series: TrackedSeriesIndex) -> Double {
        let m = moments[series.position]
        guard m.count > 1 else { return .nan }
        let sums = shiftedSums(series: series)
        guard let sum = sums.sum, let squares = sums.squares else { return .nan }
        let n = Double(m.count)
        let deviations = squares - sum * (sum / n)
        // Chunks' floating-point sums are within about 2⁻⁴² of their magnitude; far outside the
        // range the deviations can be a small difference of large sums: kept only while that
        // leaves them known to about 2⁻¹⁶.
        if wideMoments[series.position] != nil && !(deviations >= 0x1p-26 * squares) { return .nan }
        let bound = (m.maximum - m.minimum) / 2 * (n / (n - 1)).squareRoot()
        return min((max(deviations, 0) / (n - 1)).squareRoot(), bound)
    }

    /// Standard error of the mean, s / √n.
    public func standardError(series: TrackedSeriesIndex) -> Double {
        standardDeviation(series: series) / Double(moments[series.position].count).squareRoot()
    }
}
