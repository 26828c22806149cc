import LinearAlgebra

/// A nonlinear least-squares problem: minimise ‖r(p)‖² over p, optionally inside a box.
public struct LeastSquaresProblem: Sendable {
    /// Number of parameters n.
    public var parameterCount: Int
    /// Number of residuals m.
    public var residualCount: Int
    /// The residual vector r(p), of length `residualCount`.
    public var residuals: @Sendable ([Double]) -> [Double]
    /// The `residualCount` × `parameterCount` Jacobian ∂r/∂p; `nil` means forward differences.
    public var jacobian: (@Sendable ([Double]) -> Matrix)?
    /// Optional lower bounds (use −∞ for an unbounded parameter).
    public var lowerBounds: [Double]?
    /// Optional upper bounds (use +∞ for an unbounded parameter).
    public var upperBounds: [Double]?

    /// A problem; see the properties for the meaning of each argument.
    public init(parameterCount: Int, residualCount: Int,
                residuals: @escaping @Sendable ([Double]) -> [Double],
                jacobian: (@Sendable ([Double]) -> Matrix)? = nil,
                lowerBounds: [Double]? = nil, upperBounds: [Double]? = nil) {
        self.parameterCount = parameterCount
        self.residualCount = residualCount
        self.residuals = residuals
        self.jacobian = jacobian
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
    }
}

/// Tolerances and limits for `levenbergMarquardt`.
public struct LevenbergMarquardtOptions: Sendable {
    /// Maximum number of trial steps (accepted or rejected).
    public var maxIterations: Int
    /// Stop when both the actual and the predicted relative reduction of ‖r‖² are below this.
    public var relativeReductionTolerance: Double
    /// Stop when the scaled step is below this fraction of the scaled parameter vector.
    public var stepTolerance: Double
    /// Stop when every column of J is within this cosine of orthogonal to r.
    public var gradientTolerance: Double
    /// Initial damping λ, relative to the Marquardt scaling.
    public var initialDamping: Double

    /// Options; the defaults are tight enough for the NIST StRD problems to reach their certified digits.
    public init(maxIterations: Int = 1000, relativeReductionTolerance: Double = 1e-14,
                stepTolerance: Double = 1e-13, gradientTolerance: Double = 1e-15,
                initialDamping: Double = 1e-3) {
        self.maxIterations = maxIterations
        self.relativeReductionTolerance = relativeReductionTolerance
        self.stepTolerance = stepTolerance
        self.gradientTolerance = gradientTolerance
        self.initialDamping = initialDamping
    }
}

/// Why `levenbergMarquardt` stopped.
public enum StopReason: String, Sendable {
    /// Actual and predicted relative reductions of the sum of squares fell below tolerance.
    case relativeReduction
    /// The scaled step fell below tolerance relative to the parameters.
    case stepSize
    /// The residual vector became orthogonal to the columns of the Jacobian.
    case gradient
    /// The sum of squares reached zero to machine precision.
    case zeroResidual
    /// The iteration limit was reached first.
    case maxIterations
    /// A criterion above was met, but the data do not identify the free parameters there: some
    /// have no effect on the residuals, or the same effect as others (the Jacobian's columns,
    /// scaled to unit length, are dependent), so the point is not a determined minimum.
    case unidentified
    /// The damping grew until the damped step could no longer be computed in floating point,
    /// without any step reducing the sum of squares.
    case noProgress

    /// True for the reasons that mean a determined minimum was found.
    public var isConvergence: Bool {
        switch self {
        case .relativeReduction, .stepSize, .gradient, .zeroResidual: true
        case .maxIterations, .unidentified, .noProgress: false
        }
    }

    /// Why the iteration stopped, in words.
    public var explanation: String {
        switch self {
        case .relativeReduction: "the sum of squares stopped decreasing"
        case .stepSize: "the steps became negligible against the parameters"
        case .gradient: "the residuals are orthogonal to every parameter's effect"
        case .zeroResidual: "the curve passes through the data"
        case .maxIterations: "the iteration limit was reached"
        case .unidentified: "the data do not identify the parameters at the final point: some have no effect on the residuals there, or the same effect as others (try another start, or more varied data)"
        case .noProgress: "no step reduced the sum of squares before the damping overflowed"
        }
    }
}
