import Foundation
import Testing
import GrowthCurves

/// Relative agreement to `digits` significant digits.
func agrees(_ actual: Double, _ expected: Double, digits: Double) -> Bool {
    abs(actual - expected) <= pow(10, -digits) * abs(expected)
}

// Data, starting values and certified results: NIST Statistical Reference Datasets (StRD),
// nonlinear regression, Rat42 and Rat43 (Ratkowsky 1983), higher level of difficulty.
// Rat42: y = b1 / (1 + exp(b2 − b3 x))            → logistic K = b1, r = b3, t0 = b2 / b3.
// Rat43: y = b1 / (1 + exp(b2 − b3 x))^(1/b4)     → Richards with ν = b4.
private enum Rat42 {
    static let x: [Double] = [9, 14, 21, 28, 42, 57, 63, 70, 79]
    static let y: [Double] = [8.930, 10.800, 18.590, 22.330, 39.350, 56.110, 61.730, 64.620, 67.080]
    static let b = [7.2462237576E+01, 2.6180768402E+00, 6.7359200066E-02]
    static let standardDeviations = [1.7340283401E+00, 8.8295217536E-02, 3.4465663377E-03]
    static let rss = 8.0565229338E+00
    static let residualStandardDeviation = 1.1587725499E+00
    static let starts: [[Double]] = [[100, 1, 0.1], [75, 2.5, 0.07]]
}

private enum Rat43 {
    static let x: [Double] = (1...15).map(Double.init)
    static let y: [Double] = [16.08, 33.83, 65.80, 97.20, 191.55, 326.20, 386.87, 520.53, 590.03, 651.92,
                              724.93, 699.56, 689.96, 637.56, 717.41]
    static let b = [6.9964151270E+02, 5.2771253025E+00, 7.5962938329E-01, 1.2792483859E+00]
    static let standardDeviations = [1.6302297817E+01, 2.0828735829E+00, 1.9566123451E-01, 6.8761936385E-01]
    static let rss = 8.7864049080E+03
    static let residualStandardDeviation = 2.8262414662E+01
    static let starts: [[Double]] = [[100, 10, 1, 1], [700, 5, 0.75, 1.3]]
}

/// NIST (b1, b2, b3[, b4]) → (K, r, t0[, ν]).
private func curveParameters(_ b: [Double]) -> [Double] {
    [b[0], b[2], b[1] / b[2]] + b.dropFirst(3)
}

/// Checks a fit against the certified b's, translating back with b2 = r · t0 and the
/// delta-method standard error of b2 from the fitted covariance of (r, t0).
private func expectCertified(_ fit: CurveFit, b: [Double], standardDeviations: [Double], rss: Double,
                             residualStandardDeviation: Double) throws {
    #expect(fit.converged)
    let p = fit.parameters
    let fitted = [p[0], p[1] * p[2], p[1]] + p.dropFirst(3)
    for (j, value) in fitted.enumerated() {
        #expect(agrees(value, b[j], digits: 7), "b\(j + 1) = \(value), certified \(b[j])")
    }
    #expect(agrees(fit.rss, rss, digits: 8), "rss = \(fit.rss), certified \(rss)")
    let s = try #require(fit.residualStandardDeviation)
    #expect(agrees(s, residualStandardDeviation, digits: 8))

    let covariance = try #require(fit.covariance)
    let (r, t0) = (p[1], p[2])
    let b2Variance = t0 * t0 * covariance[1, 1] + r * r * covariance[2, 2] + 2 * r * t0 * covariance[1, 2]
    var errors = [covariance[0, 0].squareRoot(), b2Variance.squareRoot(), covariance[1, 1].squareRoot()]
    if p.count == 4 { errors.append(covariance[3, 3].squareRoot()) }
    for (j, error) in errors.enumerated() {
        #expect(agrees(error, standardDeviations[j], digits: 5),
                "sd(b\(j + 1)) = \(error), certified \(standardDeviations[j])")
    }
    // The standard errors are made without squaring them; the covariance's diagonal is their squares.
    #expect(agrees(try #require(fit.standardErrors?[0]), errors[0], digits: 14))
}

@Suite struct NISTRatkowskyTests {
    @Test(arguments: [0, 1])
    func rat42FromPublishedStart(start: Int) throws {
        let fit = try fitCurve(.logistic, t: Rat42.x, y: Rat42.y,
                               options: .init(start: curveParameters(Rat42.starts[start])))
        try expectCertified(fit, b: Rat42.b, standardDeviations: Rat42.standardDeviations, rss: Rat42.rss,
                            residualStandardDeviation: Rat42.residualStandardDeviation)
        #expect(fit.degreesOfFreedom == 6)
    }

    @Test func rat42FromAutomaticStart() throws {
        let fit = try fitCurve(.logistic, t: Rat42.x, y: Rat42.y)
        try expectCertified(fit, b: Rat42.b, standardDeviations: Rat42.standardDeviations, rss: Rat42.rss,
                            residualStandardDeviation: Rat42.residualStandardDeviation)
    }

    @Test(arguments: [0, 1])
    func rat43FromPublishedStart(start: Int) throws {
        let fit = try fitCurve(.richards, t: Rat43.x, y: Rat43.y,
                               options: .init(start: curveParameters(Rat43.starts[start])))
        try expectCertified(fit, b: Rat43.b, standardDeviations: Rat43.standardDeviations, rss: Rat43.rss,
                            residualStandardDeviation: Rat43.residualStandardDeviation)
        // The NIST file prints 9 degrees of freedom, but 15 − 4 = 11 is what its certified residual
        // standard deviation implies: sqrt(8786.4049080 / 11) = 28.262414662.
        #expect(fit.degreesOfFreedom == 11)
        #expect(fit.parameterNames == ["K", "r", "t0", "nu"])
    }

    @Test func rat43FromAutomaticStart() throws {
        let fit = try fitCurve(.richards, t: Rat43.x, y: Rat43.y)
        try expectCertified(fit, b: Rat43.b, standardDeviations: Rat43.standardDeviations, rss: Rat43.rss,
                            residualStandardDeviation: Rat43.residualStandardDeviation)
    }
}
