import Foundation
import Testing
import Distributions

@Test(arguments: everyFamily)
func cdfOfQuantileIsTheIdentity(distribution: Distribution) throws {
    try distribution.validate()
    let isDiscrete = if case .discrete = distribution { true } else { false }
    for u in [0x1p-52, 1e-9, 0.001, 0.05, 0.25, 0.5, 0.6, 0.9, 0.999, 1 - 1e-9, 1 - 0x1p-52] {
        let x = distribution.quantile(u)
        #expect(x.isFinite)
        if isDiscrete {
            // The quantile is the smallest value whose cumulative probability reaches u.
            #expect(distribution.cdf(x) >= u)
            #expect(distribution.cdf(x.nextDown) < u)
        } else {
            // Relative accuracy in the tails, down to a few ulps of 1 (the rounding of probabilities near 1,
            // or of a truncation window's start).
            let tolerance = max(1e-12 * min(u, 1 - u), 1e-14)
            let error = abs(distribution.cdf(x) - u)
            #expect(error <= tolerance, "F(Q(\(u))) - u = \(error)")
        }
    }
}

@Test(arguments: everyFamily)
func batchQuantilesEqualScalarQuantilesBitForBit(distribution: Distribution) {
    let u = stratifiedUniforms(257)
    var batch = [Double](repeating: .nan, count: u.count)
    u.withUnsafeBufferPointer { input in
        batch.withUnsafeMutableBufferPointer { distribution.quantiles(input, into: $0) }
    }
    #expect(batch == u.map(distribution.quantile))
}

@Test func closedFormQuantiles() {
    #expect(Distribution.uniform(min: 2, max: 6).quantile(0.25) == 3)
    // Triangular(0, 1, 4): F(mode) = 1/4; Q(1/16) = sqrt(1/16 · 4 · 1) = 1/2, Q(1 - 3/4 · 1/4) = 4 - sqrt(3/16 · 12) = 2.5.
    #expect(abs(Distribution.triangular(min: 0, mode: 1, max: 4).quantile(1.0 / 16) - 0.5) < 1e-15)
    #expect(abs(Distribution.triangular(min: 0, mode: 1, max: 4).quantile(1 - 3.0 / 16) - 2.5) < 1e-15)
    #expect(abs(Distribution.lognormal(mu: 1.5, sigma: 0.8).median - exp(1.5)) < 1e-14)
    #expect(Distribution.normal(mean: 3, sd: 2).median == 3)
    #expect(abs(Distribution.normal(mean: 3, sd: 2).quantile(0.975) - (3 + 2 * 1.959963984540054)) < 1e-14)
    // PERT(0, 5, 10) is symmetric: Beta(3, 3) scaled, so its median is the mode.
    #expect(abs(Distribution.pert(min: 0, mode: 5, max: 10).median - 5) < 1e-12)
    // PERT(0, 0, 1) is Beta(1, 5), with I_x = 1 - (1 - x)^5, so Q(u) = 1 - (1 - u)^(1/5).
    #expect(abs(Distribution.pert(min: 0, mode: 0, max: 1).quantile(0.3) - (1 - pow(0.7, 0.2))) < 1e-13)
}

@Test func discreteQuantilesFollowSortedValuesAndNormalisedWeights() {
    let distribution = Distribution.discrete(values: [30, 10, 20], weights: [2, 1, 1])
    #expect(distribution.quantile(0.2) == 10)
    #expect(distribution.quantile(0.25) == 10)
    #expect(distribution.quantile(0.26) == 20)
    #expect(distribution.quantile(0.51) == 30)
    #expect(distribution.quantile(1 - 0x1p-53) == 30)
    #expect(distribution.cdf(20) == 0.5)
}

@Test func truncatedNormalStaysInsideItsWindowAndKeepsDigitsFarInTheTail() {
    // The window [8, 8.5] standard deviations up has mass ≈ 6e-16: Φ(8) rounds to 1 in double,
    // so only measuring from the right can place the quantiles.
    let farTail = Distribution.truncatedNormal(mean: 0, sd: 1, lower: 8, upper: 8.5)
    let quantiles = stratifiedUniforms(64).map(farTail.quantile)
    #expect(quantiles.allSatisfy { $0 >= 8 && $0 <= 8.5 })
    #expect(zip(quantiles, quantiles.dropFirst()).allSatisfy { $0 < $1 })
    #expect(abs(farTail.cdf(farTail.quantile(0.3)) - 0.3) < 1e-9)
    let oneSided = Distribution.truncatedNormal(mean: 1, sd: 2, lower: -.infinity, upper: 0)
    #expect(stratifiedUniforms(64).map(oneSided.quantile).allSatisfy { $0 <= 0 })
}

// The half-normal, N(0, 1) truncated to [0, ∞): mean √(2/π), variance 1 - 2/π (Johnson, Kotz and
// Balakrishnan, Continuous Univariate Distributions, vol. 1, §13.10).
@Test func truncatedNormalMomentsMatchTheHalfNormal() {
    let halfNormal = Distribution.truncatedNormal(mean: 0, sd: 1, lower: 0, upper: .infinity)
    #expect(abs(halfNormal.mean - (2 / Double.pi).squareRoot()) < 1e-15)
    #expect(abs(halfNormal.variance - (1 - 2 / Double.pi)) < 1e-15)
    #expect(abs(halfNormal.median - 0.6744897501960817) < 1e-14)   // Φ⁻¹(3/4), Wichura's AS 241 value
}
