import Foundation

/// How confidence intervals are estimated: resampling the design's rows with replacement.
///
/// Intervals are reported as half-widths z · sd, sd the standard deviation (n − 1 divisor) of the
/// bootstrap replicates and z the standard normal quantile at (1 + confidenceLevel) / 2, as SALib does;
/// the interval is estimate ± half-width.
public struct BootstrapOptions: Sendable, Hashable {
    /// Number of bootstrap replicates, at least 2.
    public var resamples: Int
    /// Two-sided confidence level in (0, 1).
    public var confidenceLevel: Double

    public init(resamples: Int = 1000, confidenceLevel: Double = 0.95) {
        self.resamples = resamples
        self.confidenceLevel = confidenceLevel
    }

    /// Resamples at most: each replicate keeps every statistic, so memory grows with their product.
    public static let maximumResamples = 100_000

    public func validate() throws(SensitivityError) {
        guard resamples >= 2 else { throw .tooFewResamples(resamples) }
        guard resamples <= Self.maximumResamples else { throw .tooManyResamples(resamples, maximum: Self.maximumResamples) }
        try checkConfidenceLevel(confidenceLevel)
    }

    var zScore: Double { twoSidedZScore(confidenceLevel: confidenceLevel) }
}

func checkConfidenceLevel(_ level: Double) throws(SensitivityError) {
    guard level > 0, level < 1 else { throw .invalidConfidenceLevel(level) }
}

/// Φ⁻¹((1 + confidenceLevel) / 2): 1.959964 at 95 %, the z of a half-width z · sd.
func twoSidedZScore(confidenceLevel: Double) -> Double {
    standardNormalUpperQuantile(tail: (1 - confidenceLevel) / 2)
}

/// The x > 0 with P(Z > x) = tail for a standard normal Z, tail in (0, 1/2), by bisection on erfc
/// (monotone, so it converges to the last bit without a rational approximation's tables).
func standardNormalUpperQuantile(tail: Double) -> Double {
    var low = 0.0, high = 40.0
    while true {
        let mid = (low + high) / 2
        guard mid > low, mid < high else { return mid }
        if erfc(mid / 2.0.squareRoot()) / 2 > tail { low = mid } else { high = mid }
    }
}
