import LinearAlgebra
import LeastSquares

/// Fits `model` to the observations (t, y) by Levenberg–Marquardt with the analytic Jacobian.
/// For Richards, ν is kept above a tiny positive floor, where the curve is defined.
/// - Throws: `CurveFitError` for invalid input, `LeastSquaresError` when the start is unusable.
/// The least ν a Richards fit takes (its lower bound): the curve is defined for ν > 0 and tends to
/// the Gompertz curve as ν goes to 0.
let richardsLeastNu = 1e-8

public func fitCurve(_ model: CurveModel, t: [Double], y: [Double],
                     options: CurveFitOptions = .init()) throws -> CurveFit {
    let observations = try weightedObservations(model, t: t, y: y, options: options)
    let start = options.start ?? automaticStart(model, t: t, y: y)
    guard start.count == model.parameterCount, start.allSatisfy(\.isFinite) else {
        throw CurveFitError.invalidStart(model: model, start: start)
    }
    // A start below ν's bound would be moved onto it unsaid, and reported as if it were the start.
    if model == .richards && !(start[3] >= richardsLeastNu) {
        throw CurveFitError.startOutsideDomain(model: model, parameter: "nu", value: start[3])
    }
    let (times, values, factors) = (observations.t, observations.y, observations.factors)
    let m = times.count, n = model.parameterCount
    var problem = LeastSquaresProblem(
        parameterCount: n, residualCount: m,
        residuals: { p in (0..<m).map { i in (model.value(times[i], p) - values[i]) * factors[i] } },
        jacobian: { p in
            var jacobian = Matrix(rows: m, columns: n)
            for i in 0..<m {
                for (j, derivative) in model.gradient(times[i], p).enumerated() {
                    jacobian[i, j] = derivative * factors[i]
                }
            }
            return jacobian
        })
    if model == .richards {
        problem.lowerBounds = [-.infinity, -.infinity, -.infinity, richardsLeastNu]
    }
    let fit = try levenbergMarquardt(problem, start: start, options: options.lm)
    return CurveFit(model: model, parameterNames: model.parameterNames, parameters: fit.parameters,
                    standardErrors: fit.standardErrors, covariance: fit.covariance, rss: fit.rss,
                    residualStandardDeviation: fit.residualStandardDeviation,
                    degreesOfFreedom: fit.degreesOfFreedom, iterations: fit.iterations,
                    stopReason: fit.stopReason, converged: fit.converged)
}

/// The validated observations with positive weight, and each one's residual factor
/// (1/y for relative residuals) · √w.
private func weightedObservations(_ model: CurveModel, t: [Double], y: [Double], options: CurveFitOptions)
    throws -> (t: [Double], y: [Double], factors: [Double]) {
    guard t.count == y.count else { throw CurveFitError.countMismatch(t: t.count, y: y.count) }
    if let weights = options.weights, weights.count != t.count {
        throw CurveFitError.weightCountMismatch(weights: weights.count, observations: t.count)
    }
    var kept: (t: [Double], y: [Double], factors: [Double]) = ([], [], []), roots: [Double] = []
    for i in t.indices {
        guard t[i].isFinite, y[i].isFinite else { throw CurveFitError.nonFiniteData(index: i) }
        if options.relative && !(y[i] > 0) {
            throw CurveFitError.nonPositiveValueWithRelativeResiduals(index: i, value: y[i])
        }
        let weight = options.weights?[i] ?? 1
        guard weight.isFinite, weight >= 0 else { throw CurveFitError.invalidWeight(index: i, value: weight) }
        guard weight > 0 else { continue }
        kept.t.append(t[i])
        kept.y.append(y[i])
        kept.factors.append(weight.squareRoot() / (options.relative ? y[i] : 1))
        roots.append(weight.squareRoot())
    }
    guard kept.t.count >= model.parameterCount else {
        throw CurveFitError.tooFewPoints(model: model, needed: model.parameterCount, got: kept.t.count)
    }
    guard kept.y.contains(where: { $0 != 0 }) else { throw CurveFitError.allZero(model: model) }
    // Squares of the residuals and of the Jacobian must stay within double precision: absolute
    // residuals are of the size of |y|·√w, relative ones' derivatives of √w/y (K follows y).
    let sizes = zip(kept.y, roots).map { options.relative ? abs($0) / $1 : abs($0 * $1) }
    let extremes = options.relative ? [sizes.min() ?? 0, sizes.max() ?? 0] : [sizes.max() ?? 0]
    if let size = extremes.first(where: { !($0 <= 1e150 && $0 >= 1e-150) }) {
        throw CurveFitError.valuesOutOfRange(size: size, relative: options.relative)
    }
    let distinct = Set(kept.t).count
    guard distinct >= model.parameterCount else {
        throw CurveFitError.tooFewDistinctTimes(model: model, needed: model.parameterCount, got: distinct)
    }
    // t − t0 must keep at least half of double precision's digits (spread ≥ 2^26 ulps of the largest |t|).
    let magnitude = kept.t.map(abs).max() ?? 0, spread = (kept.t.max() ?? 0) - (kept.t.min() ?? 0)
    guard spread >= 0x1p26 * magnitude.ulp else { throw CurveFitError.timesNotResolved(spread: spread, magnitude: magnitude) }
    return kept
}
