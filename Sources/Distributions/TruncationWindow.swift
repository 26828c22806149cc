/// Normal(mean, sd) restricted to [lower, upper], with the constants of its quantile precomputed.
///
/// When the whole window lies in the upper tail, probabilities are measured from the right with
/// Φ(-z), so that neither Φ(a) nor Φ(b) rounds to 1 and the window's mass keeps its digits.
struct TruncationWindow {
    let mean: Double
    let sd: Double
    /// Standardised bounds (may be ±∞).
    let lowerZ: Double
    let upperZ: Double
    let measuresFromRight: Bool
    /// Φ(lowerZ), or Φ(-lowerZ) when measuring from the right.
    let start: Double
    /// The probability of the window, Φ(upperZ) - Φ(lowerZ).
    let mass: Double

    init(mean: Double, sd: Double, lower: Double, upper: Double) {
        self.mean = mean
        self.sd = sd
        lowerZ = (lower - mean) / sd
        upperZ = (upper - mean) / sd
        measuresFromRight = lowerZ > 0
        if measuresFromRight {
            start = standardNormalUpperTail(lowerZ)
            mass = start - standardNormalUpperTail(upperZ)
        } else {
            start = standardNormalCDF(lowerZ)
            mass = standardNormalCDF(upperZ) - start
        }
    }

    @inline(__always)
    func quantile(_ u: Double) -> Double {
        let z = standardNormalQuantile(probability(u))
        return value(measuresFromRight ? -z : z)
    }

    /// `quantile` of every u, the normal quantiles four at a time (see `standardNormalQuantiles`).
    func quantiles(_ u: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        for i in u.indices { output[i] = probability(u[i]) }
        standardNormalQuantiles(output.baseAddress!, count: u.count, into: output.baseAddress!)
        for i in u.indices { output[i] = value(measuresFromRight ? -output[i] : output[i]) }
    }

    /// The normal probability (from the left, or from the right) of the window's u-quantile.
    @inline(__always)
    private func probability(_ u: Double) -> Double { measuresFromRight ? start - u * mass : start + u * mass }

    /// The value of a standardised quantile; rounding must not carry a draw outside its window.
    @inline(__always)
    private func value(_ z: Double) -> Double { mean + sd * Swift.min(Swift.max(z, lowerZ), upperZ) }

    func cdf(_ x: Double) -> Double {
        let z = (x - mean) / sd
        if z <= lowerZ { return 0 }
        if z >= upperZ { return 1 }
        let inside = measuresFromRight ? start - standardNormalUpperTail(z) : standardNormalCDF(z) - start
        return inside / mass
    }

    /// Mean and variance from the standard formulas with φ at the standardised bounds (zφ(z) = 0 at ±∞).
    var moments: (mean: Double, variance: Double) {
        let densityLower = standardNormalDensity(lowerZ), densityUpper = standardNormalDensity(upperZ)
        let weightedLower = lowerZ.isFinite ? lowerZ * densityLower : 0
        let weightedUpper = upperZ.isFinite ? upperZ * densityUpper : 0
        let shift = (densityLower - densityUpper) / mass
        let standardVariance = 1 + (weightedLower - weightedUpper) / mass - shift * shift
        return (mean + sd * shift, sd * sd * standardVariance)
    }
}
