import LinearAlgebra

/// The outcome of a nonlinear least-squares fit; every number in it is finite.
public struct LeastSquaresFit: Sendable {
    /// Parameter estimates.
    public var parameters: [Double]
    /// Residual sum of squares ‖r‖² at `parameters`.
    public var rss: Double
    /// Residuals at `parameters`.
    public var residuals: [Double]
    /// Trial steps taken.
    public var iterations: Int
    /// Why the iteration stopped.
    public var stopReason: StopReason
    /// True when `stopReason` is a convergence criterion met at a point where the data identify
    /// the free parameters (`StopReason.isConvergence`).
    public var converged: Bool
    /// m − n.
    public var degreesOfFreedom: Int
    /// sqrt(rss / dof); `nil` when dof == 0.
    public var residualStandardDeviation: Double?
    /// s² (JᵀJ)⁻¹ at the solution; `nil` when dof == 0, J is rank deficient, or a variance is not a
    /// normal double (the standard errors' squares can leave double precision where they do not).
    public var covariance: Matrix?
    /// Square roots of the covariance diagonal, made without squaring; `nil` when dof == 0 or J is
    /// rank deficient.
    public var standardErrors: [Double]?
}

extension LeastSquaresFit {
    /// Assembles the statistics from the final point and its Jacobian.
    init(parameters: [Double], residuals: [Double], rss: Double, jacobian: Matrix,
         iterations: Int, stopReason: StopReason) {
        self.parameters = parameters
        self.residuals = residuals
        self.rss = rss
        self.iterations = iterations
        self.stopReason = stopReason
        converged = stopReason.isConvergence
        degreesOfFreedom = residuals.count - parameters.count
        guard degreesOfFreedom > 0 else { return }
        let variance = rss / Double(degreesOfFreedom)
        residualStandardDeviation = variance.squareRoot()
        // (JᵀJ)⁻¹ = D⁻¹ ((J D⁻¹)ᵀ (J D⁻¹))⁻¹ D⁻¹ with D J's column norms: the rank test then judges the
        // columns' directions, not the parameters' units (a level of 1e16 beside a rate of 0.9 made
        // J look singular, and the standard errors were dropped).
        let (scaledColumns, norms) = unitColumns(jacobian, Array(0..<jacobian.columns))
        guard let inverse = try? inverseGram(scaledColumns) else { return }
        // σ / ‖J_j‖ per parameter: the standard errors are made without squaring them, so one whose
        // square leaves double precision (y at 1e-200 with weights of 1e200: 7e-201) is still given.
        let unit = norms.map { variance.squareRoot() / $0 }
        let errors = unit.indices.map { unit[$0] * inverse[$0, $0].squareRoot() }
        guard errors.allSatisfy(\.isFinite) else { return }
        standardErrors = errors
        var scaled = inverse
        for i in 0..<scaled.rows {
            for j in 0..<scaled.columns { scaled[i, j] = unit[i] * inverse[i, j] * unit[j] }
        }
        // The covariance only where its variances are doubles as computed: one that underflowed would
        // print 0 (an exact fit's are 0).
        guard scaled.isFinite, unit.indices.allSatisfy({ scaled[$0, $0] == 0 && errors[$0] == 0 || scaled[$0, $0].isNormal }) else { return }
        covariance = scaled
    }
}
