/// How the confidence half-widths of Sobol' indices are estimated. Either way a half-width is z · sd,
/// z the standard normal quantile at (1 + confidenceLevel) / 2, and the interval is estimate ± half-width.
public enum SobolIntervals: Sendable, Hashable {
    /// The delta method: sd from each estimator's influence function, in one pass over the design's
    /// rows (the asymptotic normality of these ratio-of-means estimators: Janon, Klein, Lagnoux, Nodet
    /// and Prieur 2014, ESAIM: Probability and Statistics 18; OpenTURNS offers the same). Costs about
    /// what the point estimates cost, so analysing many outputs stays cheap.
    case asymptotic(confidenceLevel: Double = 0.95)
    /// sd over bootstrap replicates of the base rows (as SALib): resamples × the point estimates' cost.
    case bootstrap(BootstrapOptions)

    public var confidenceLevel: Double {
        switch self {
        case .asymptotic(let level): level
        case .bootstrap(let options): options.confidenceLevel
        }
    }

    public func validate() throws(SensitivityError) {
        switch self {
        case .asymptotic(let level): try checkConfidenceLevel(level)
        case .bootstrap(let options): try options.validate()
        }
    }

    var zScore: Double { twoSidedZScore(confidenceLevel: confidenceLevel) }
}
