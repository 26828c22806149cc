import Testing
import Distributions

/// Sample mean and variance of the quantiles of 2^16 stratified uniforms.
private func sampleMoments(_ distribution: Distribution) -> (mean: Double, variance: Double) {
    let values = stratifiedUniforms(1 << 16).map(distribution.quantile)
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance)
}

// The analytic formulas (triangular, PERT (a + 4m + b)/6 and (μ - a)(b - μ)/7, lognormal, truncated
// normal, ...) against midpoint quadrature of the quantile function. The quadrature error depends on how
// smooth the quantile function is: smooth for uniform, triangular and narrow normal windows; a power
// singularity at an end for PERT; an exponential tail beyond the outermost stratum for the normal family.
@Test(arguments: everyFamily)
func analyticMomentsMatchStratifiedSampleMoments(distribution: Distribution) {
    let sample = sampleMoments(distribution)
    let tolerance = switch distribution {
    case .normal, .lognormal: 2e-3
    case let .truncatedNormal(_, sd, lower, upper): upper - lower <= 4 * sd ? 1e-6 : 2e-3
    case .pert: 2e-5
    default: 1e-6
    }
    let scale = distribution.variance.squareRoot()
    #expect(abs(sample.mean - distribution.mean) <= tolerance * scale, "mean")
    #expect(abs(sample.variance - distribution.variance) <= tolerance * distribution.variance, "variance")
}

@Test func pertMomentsFollowTheLambdaFourFormulas() {
    let pert = Distribution.pert(min: 2, mode: 3, max: 10)
    let expectedMean: Double = (2 + 4 * 3 + 10) / 6   // 4
    let expectedVariance: Double = (4 - 2) * (10 - 4) / 7
    #expect(pert.mean == expectedMean)
    #expect(abs(pert.variance - expectedVariance) < 1e-15)
}
