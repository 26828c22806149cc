import Foundation
import Testing
import GrowthCurves

/// An exact logistic through three anchors, fitted with relative residuals from the automatic
/// start, as the roadmap model uses it. Expected parameters are those stated in the project brief.
struct ThreePointCase: Sendable, CustomStringConvertible {
    var anchors: [(t: Double, y: Double)]
    var k: Double, r: Double, t0: Double
    var description: String { "\(anchors.map(\.y))" }
}

@Suite struct ThreePointLogisticTests {
    static let cases = [
        ThreePointCase(anchors: [(2022, 105), (2030, 447), (2060, 2135)], k: 2153, r: 0.2039, t0: 2036.57),
        ThreePointCase(anchors: [(2022, 137), (2030, 363), (2060, 2934)], k: 3424, r: 0.1307, t0: 2046.31),
        ThreePointCase(anchors: [(2022, 105), (2030, 196), (2060, 689)], k: 814, r: 0.0952, t0: 2042.06),
    ]

    @Test(arguments: cases)
    func exactLogisticThroughAnchors(_ testCase: ThreePointCase) throws {
        let t = testCase.anchors.map(\.t), y = testCase.anchors.map(\.y)
        let fit = try fitCurve(.logistic, t: t, y: y, options: .init(relative: true))
        #expect(fit.converged)
        #expect(fit.degreesOfFreedom == 0)
        #expect(fit.covariance == nil && fit.residualStandardDeviation == nil)
        #expect(fit.rss < 1e-24)
        for (time, value) in zip(t, y) {
            #expect(abs(fit.value(at: time) / value - 1) < 1e-11)
        }
        let p = fit.parameters
        #expect(abs(p[0] - testCase.k) < 0.5, "K = \(p[0])")
        #expect(abs(p[1] - testCase.r) < 5e-5, "r = \(p[1])")
        #expect(abs(p[2] - testCase.t0) < 5e-3, "t0 = \(p[2])")
    }
}
