import LinearAlgebra

/// The problem as the iteration sees it: validated bounds, projection onto the box, and
/// residual/Jacobian evaluations that report non-finite values as `nil`.
struct ProblemEvaluation {
    let problem: LeastSquaresProblem
    let lower: [Double]
    let upper: [Double]

    init(_ problem: LeastSquaresProblem, start: [Double]) throws {
        let n = problem.parameterCount
        guard n >= 1 else { throw LeastSquaresError.invalidProblem("parameterCount must be at least 1, got \(n)") }
        guard problem.residualCount >= 1 else {
            throw LeastSquaresError.invalidProblem("residualCount must be at least 1, got \(problem.residualCount)")
        }
        guard start.count == n else {
            throw LeastSquaresError.invalidProblem("start has \(start.count) values for \(n) parameters")
        }
        guard start.allSatisfy(\.isFinite) else {
            throw LeastSquaresError.invalidProblem("start contains NaN or infinity: \(start)")
        }
        lower = problem.lowerBounds ?? [Double](repeating: -.infinity, count: n)
        upper = problem.upperBounds ?? [Double](repeating: .infinity, count: n)
        guard lower.count == n, upper.count == n else {
            throw LeastSquaresError.invalidProblem("bounds must have \(n) entries each")
        }
        for j in 0..<n where !(lower[j] <= upper[j]) || lower[j] == .infinity || upper[j] == -.infinity {
            throw LeastSquaresError.invalidProblem("bounds of parameter \(j) are empty: [\(lower[j]), \(upper[j])]")
        }
        self.problem = problem
    }

    func project(_ p: [Double]) -> [Double] {
        var projected = p
        for j in projected.indices { projected[j] = min(max(projected[j], lower[j]), upper[j]) }
        return projected
    }

    /// r(p), or `nil` when any entry is NaN or infinite or ‖r‖² overflows.
    func residuals(at p: [Double]) throws -> [Double]? {
        let r = problem.residuals(p)
        guard r.count == problem.residualCount else {
            throw LeastSquaresError.invalidProblem("residuals returned \(r.count) values, expected \(problem.residualCount)")
        }
        return sumOfSquares(r).isFinite ? r : nil
    }

    /// J(p), analytic when supplied, else by forward differences; `nil` when not finite or its
    /// sum of squares overflows (LAPACK could not take it).
    func jacobian(at p: [Double], residuals r: [Double]) throws -> Matrix? {
        let m = problem.residualCount, n = problem.parameterCount
        let jacobian: Matrix
        if let analytic = problem.jacobian {
            jacobian = analytic(p)
            guard jacobian.rows == m, jacobian.columns == n else {
                throw LeastSquaresError.invalidProblem(
                    "jacobian returned \(jacobian.rows)×\(jacobian.columns), expected \(m)×\(n)")
            }
        } else {
            jacobian = try forwardDifferenceJacobian(at: p, residuals: r)
        }
        return sumOfSquares(jacobian.elements).isFinite ? jacobian : nil
    }

    /// Forward differences with steps of √ε relative to each parameter, stepping backwards
    /// when the forward point leaves the box or gives non-finite residuals.
    private func forwardDifferenceJacobian(at p: [Double], residuals r: [Double]) throws -> Matrix {
        let m = problem.residualCount
        var jacobian = Matrix(rows: m, columns: problem.parameterCount)
        var shifted = p
        for j in p.indices {
            let magnitude = Double.ulpOfOne.squareRoot() * (p[j] == 0 ? 1 : abs(p[j]))
            var column: [Double]?
            var h = 0.0
            for candidate in [magnitude, -magnitude] where p[j] + candidate >= lower[j] && p[j] + candidate <= upper[j] {
                shifted[j] = p[j] + candidate
                h = shifted[j] - p[j]  // the step actually representable in floating point
                column = try residuals(at: shifted)
                if column != nil { break }
            }
            shifted[j] = p[j]
            guard let column else {
                for i in 0..<m { jacobian[i, j] = .nan }
                continue
            }
            for i in 0..<m { jacobian[i, j] = (column[i] - r[i]) / h }
        }
        return jacobian
    }
}
