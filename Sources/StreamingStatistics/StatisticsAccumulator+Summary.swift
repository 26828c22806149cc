extension StatisticsAccumulator {
    /// Number of finite values seen.
    public func count(series: Int) -> UInt64 { moments[series].count }

    /// Number of NaN and infinite values seen (excluded from every other statistic).
    public func nonFiniteCount(series: Int) -> UInt64 { moments[series].nonFiniteCount }

    /// Smallest finite value seen, exactly; NaN when there is none.
    public func minimum(series: Int) -> Double {
        moments[series].count > 0 ? moments[series].minimum : .nan
    }

    /// Largest finite value seen, exactly; NaN when there is none.
    public func maximum(series: Int) -> Double {
        moments[series].count > 0 ? moments[series].maximum : .nan
    }

    /// True when some chunk held values so far outside the series range (about 2²⁵ range widths and
    /// beyond) that the fixed-point sums could not hold them; mean and deviations are then NaN.
    public func momentsSaturated(series: Int) -> Bool { moments[series].saturated }

    /// Arithmetic mean of the finite values; NaN when there are none.
    public func mean(series: Int) -> Double {
        let m = moments[series]
        guard m.count > 0, !m.saturated else { return .nan }
        let geometry = layout.geometries[series]
        return geometry.shift + scaled(Double(m.shiftedSum), by: geometry.firstMomentExponent) / Double(m.count)
    }

    /// Sample standard deviation (divisor n − 1); NaN for fewer than two values.
    public func standardDeviation(series: Int) -> Double {
        let m = moments[series]
        guard m.count > 1, !m.saturated else { return .nan }
        let geometry = layout.geometries[series]
        let n = Double(m.count)
        let sum = scaled(Double(m.shiftedSum), by: geometry.firstMomentExponent)
        let squares = scaled(Double(m.shiftedSquareSum), by: geometry.secondMomentExponent)
        return (max(squares - sum * (sum / n), 0) / (n - 1)).squareRoot()
    }

    /// Standard error of the mean, s / √n.
    public func standardError(series: Int) -> Double {
        standardDeviation(series: series) / Double(moments[series].count).squareRoot()
    }
}
