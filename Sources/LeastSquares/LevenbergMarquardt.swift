import LinearAlgebra

/// Minimises ‖r(p)‖² by Levenberg–Marquardt with Marquardt scaling.
///
/// Each step solves the augmented linear problem [J; √λ D] δ = [−r; 0] with LAPACK (dgelsd),
/// where D holds the running maximum of J's column norms (as in MINPACK). The damping λ follows
/// the gain ratio ρ = actual / predicted reduction (Nielsen's update). Trial points with
/// non-finite residuals are rejected like bad steps; with bounds, steps are projected onto the box.
/// - Throws: `LeastSquaresError` for an inconsistent problem or non-finite values at the start,
///   `LAPACKError` if a linear solve fails.
public func levenbergMarquardt(_ problem: LeastSquaresProblem, start: [Double],
                               options: LevenbergMarquardtOptions = .init()) throws -> LeastSquaresFit {
    let evaluation = try ProblemEvaluation(problem, start: start)
    var p = evaluation.project(start)
    guard var r = try evaluation.residuals(at: p) else { throw LeastSquaresError.nonFiniteResidualsAtStart }
    guard var jacobian = try evaluation.jacobian(at: p, residuals: r) else {
        throw LeastSquaresError.nonFiniteJacobianAtStart
    }
    var rss = sumOfSquares(r)
    let zeroResidualLevel = rss * Double.ulpOfOne * Double.ulpOfOne
    var scale = [Double](repeating: 0, count: p.count)
    updateScale(&scale, with: jacobian)
    var damping = options.initialDamping
    var dampingGrowth = 2.0
    var iterations = 0

    func freeParameters(gradient: [Double]) -> [Bool] {
        p.indices.map { j in
            !((p[j] <= evaluation.lower[j] && gradient[j] > 0) || (p[j] >= evaluation.upper[j] && gradient[j] < 0))
        }
    }
    func finish(_ reason: StopReason) -> LeastSquaresFit {
        let free = freeParameters(gradient: jacobian.transposeTimes(r))
        let checked = reason.isConvergence && !identified(jacobian, free: free) ? .unidentified : reason
        return LeastSquaresFit(parameters: p, residuals: r, rss: rss, jacobian: jacobian,
                               iterations: iterations, stopReason: checked)
    }
    func rejectStep() {
        damping = min(damping * dampingGrowth, 1e300)
        dampingGrowth = min(dampingGrowth * 2, 1e10)
    }

    if rss == 0 { return finish(.zeroResidual) }
    while true {
        let gradient = jacobian.transposeTimes(r)
        let free = freeParameters(gradient: gradient)
        if gradientCosine(jacobian, gradient, rss: rss, free: free) <= options.gradientTolerance {
            return finish(.gradient)
        }
        if iterations >= options.maxIterations { return finish(.maxIterations) }
        iterations += 1

        guard let rawStep = try dampedStep(jacobian, r, scale: scale, damping: damping, free: free) else {
            return finish(.noProgress)
        }
        let trial = evaluation.project(zip(p, rawStep).map(+))
        let step = zip(trial, p).map(-)
        let projectionMoved = step != rawStep
        let scaledStepNorm = scaledNorm(step, scale)
        let scaledParameterNorm = scaledNorm(p, scale)

        guard rawStep.allSatisfy(\.isFinite), let trialResiduals = try evaluation.residuals(at: trial) else {
            rejectStep()
            continue
        }
        let trialRSS = sumOfSquares(trialResiduals)
        let predicted = predictedReduction(jacobian, r, step, scale: scale, damping: damping,
                                           exact: !projectionMoved, rss: rss)
        let actual = rss - trialRSS
        let gain = predicted > 0 ? actual / predicted : -1

        let previousRSS = rss
        if gain > 1e-4, let trialJacobian = try evaluation.jacobian(at: trial, residuals: trialResiduals) {
            p = trial
            r = trialResiduals
            rss = trialRSS
            jacobian = trialJacobian
            updateScale(&scale, with: jacobian)
            let shrink = 2 * gain - 1
            damping = max(damping * max(1.0 / 3, 1 - shrink * shrink * shrink), 1e-300)
            dampingGrowth = 2
            if rss <= zeroResidualLevel { return finish(.zeroResidual) }
        } else {
            rejectStep()
        }

        let tolerance = options.relativeReductionTolerance
        if abs(actual) <= tolerance * previousRSS && predicted <= tolerance * previousRSS && gain <= 2 {
            return finish(.relativeReduction)
        }
        if scaledStepNorm <= options.stepTolerance * scaledParameterNorm {
            return finish(.stepSize)
        }
    }
}

func sumOfSquares(_ v: [Double]) -> Double {
    v.reduce(0) { $0 + $1 * $1 }
}

private func scaledNorm(_ v: [Double], _ scale: [Double]) -> Double {
    zip(v, scale).reduce(0) { $0 + ($1.0 * $1.1) * ($1.0 * $1.1) }.squareRoot()
}

/// Marquardt scaling: the running maximum of each column norm; a column that has always been
/// zero gets 1 so the damping still regularises it.
private func updateScale(_ scale: inout [Double], with jacobian: Matrix) {
    for j in scale.indices {
        let norm = sumOfSquares(jacobian.column(j)).squareRoot()
        scale[j] = max(scale[j], norm)
    }
    for j in scale.indices where scale[j] == 0 { scale[j] = 1 }
}

/// Solves [J; √λ D] δ = [−r; 0] in the least-squares sense over the free parameters; parameters
/// held at a bound by the gradient get δ = 0 so they do not drag the others off course.
/// Solved for z = D δ, [J D⁻¹; √λ I] z = [−r; 0], whose columns are of comparable size: parameters of
/// very different scales (a level of 1e-20 beside a year) made J's columns differ by more than the
/// solver resolves (1/ε), so it cut the step short and the fit stopped away from the minimum.
/// `nil` if the system's norm is not finite, so that LAPACK is never handed what it cannot take (J
/// and r are finite, see `ProblemEvaluation`; the scaled columns have norms of at most 1 and √λ at
/// most 1e150).
private func dampedStep(_ jacobian: Matrix, _ r: [Double], scale: [Double], damping: Double,
                        free: [Bool]) throws -> [Double]? {
    let m = jacobian.rows
    let freeColumns = free.indices.filter { free[$0] }
    var step = [Double](repeating: 0, count: jacobian.columns)
    guard !freeColumns.isEmpty else { return step }
    let n = freeColumns.count
    var augmented = Matrix(rows: m + n, columns: n)
    let root = damping.squareRoot()
    for (k, j) in freeColumns.enumerated() {
        for i in 0..<m { augmented[i, k] = jacobian[i, j] / scale[j] }
        augmented[m + k, k] = root
    }
    guard sumOfSquares(augmented.elements).isFinite else { return nil }
    let rhs = r.map { -$0 } + [Double](repeating: 0, count: n)
    let solution = try leastSquares(augmented, rhs).solution
    for (k, j) in freeColumns.enumerated() { step[j] = solution[k] / scale[j] }
    return step
}

/// Reduction of ‖r‖² predicted by the linear model. For an unprojected step the normal
/// equations give ‖Jδ‖² + 2λ‖Dδ‖², free of cancellation; a projected step needs the direct form.
private func predictedReduction(_ jacobian: Matrix, _ r: [Double], _ step: [Double], scale: [Double],
                                damping: Double, exact: Bool, rss: Double) -> Double {
    let jStep = jacobian * step
    if exact {
        let scaled = scaledNorm(step, scale)
        return sumOfSquares(jStep) + 2 * damping * scaled * scaled
    }
    return rss - sumOfSquares(zip(r, jStep).map(+))
}

/// Columns of a Jacobian, scaled to unit length, count as dependent when their pivoted QR has a
/// diagonal entry below this fraction of the first: far below any dependence a fit can resolve,
/// far above rounding noise (ε ≈ 2.2e-16).
let identifiabilityTolerance = 1e-10

/// Whether the data identify the free parameters: each free column of J is non-zero and the free
/// columns, scaled to unit length (so that parameters' units do not matter), are independent.
private func identified(_ jacobian: Matrix, free: [Bool]) -> Bool {
    let columns = free.indices.filter { free[$0] }
    guard jacobian.rows >= columns.count else { return false }
    guard !columns.isEmpty else { return true }
    let (scaled, norms) = unitColumns(jacobian, columns)
    guard norms.allSatisfy({ $0 > 0 }) else { return false }
    // The scaled columns have unit norm, so the factorisation cannot fail on overflow.
    return (try? numericalRank(scaled, rankTolerance: identifiabilityTolerance)) == columns.count
}

/// `columns` of the Jacobian, each divided by its Euclidean norm (a zero column stays zero), and the
/// norms: parameters' units then do not decide what counts as dependent.
func unitColumns(_ jacobian: Matrix, _ columns: [Int]) -> (Matrix, norms: [Double]) {
    var scaled = Matrix(rows: jacobian.rows, columns: columns.count)
    let norms = columns.map { sumOfSquares(jacobian.column($0)).squareRoot() }
    for (k, j) in columns.enumerated() where norms[k] > 0 {
        for i in 0..<jacobian.rows { scaled[i, k] = jacobian[i, j] / norms[k] }
    }
    return (scaled, norms)
}

/// MINPACK's gradient measure max_j |J_jᵀ r| / (‖J_j‖ ‖r‖) over the free parameters.
private func gradientCosine(_ jacobian: Matrix, _ gradient: [Double], rss: Double, free: [Bool]) -> Double {
    let residualNorm = rss.squareRoot()
    guard residualNorm > 0 else { return 0 }
    var worst = 0.0
    for j in gradient.indices where free[j] {
        let columnNorm = sumOfSquares(jacobian.column(j)).squareRoot()
        guard columnNorm > 0 else { continue }
        worst = max(worst, abs(gradient[j]) / (columnNorm * residualNorm))
    }
    return worst
}
