import LinearAlgebra
import LeastSquares

/// Options for `fitCurve`.
public struct CurveFitOptions: Sendable {
    /// Fit relative residuals (f − y) / y instead of f − y; needs y > 0.
    public var relative: Bool
    /// Per-observation weights w ≥ 0; each residual is multiplied by √w. Zero-weight points are dropped.
    public var weights: [Double]?
    /// Starting parameters; `nil` means `automaticStart`.
    public var start: [Double]?
    /// Levenberg–Marquardt tolerances and limits.
    public var lm: LevenbergMarquardtOptions

    /// Options; by default plain residuals, equal weights, automatic start.
    public init(relative: Bool = false, weights: [Double]? = nil, start: [Double]? = nil,
                lm: LevenbergMarquardtOptions = .init()) {
        self.relative = relative
        self.weights = weights
        self.start = start
        self.lm = lm
    }
}

/// A fitted growth curve with its least-squares statistics.
public struct CurveFit: Sendable {
    /// The curve family.
    public var model: CurveModel
    /// Names of `parameters`, in order.
    public var parameterNames: [String]
    /// Fitted parameters.
    public var parameters: [Double]
    /// Asymptotic standard errors; `nil` without degrees of freedom or when singular.
    public var standardErrors: [Double]?
    /// Asymptotic covariance s² (JᵀJ)⁻¹; `nil` without degrees of freedom, when singular, or when its
    /// variances leave double precision (`LeastSquaresFit.covariance`).
    public var covariance: Matrix?
    /// Residual sum of squares of the (relative and/or weighted) residuals.
    public var rss: Double
    /// sqrt(rss / dof); `nil` when dof == 0.
    public var residualStandardDeviation: Double?
    /// Observations used minus parameters.
    public var degreesOfFreedom: Int
    /// Levenberg–Marquardt trial steps.
    public var iterations: Int
    /// Why the iteration stopped.
    public var stopReason: StopReason
    /// False when the iteration limit was reached.
    public var converged: Bool

    /// The fitted curve at `t`.
    public func value(at t: Double) -> Double { model.value(t, parameters) }
}
