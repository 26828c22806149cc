import Foundation
import Testing
import LaneVectors

struct ExponentialTests {
    /// Distance in units in the last place between two positive doubles.
    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let x = a.bitPattern, y = b.bitPattern
        return x > y ? x - y : y - x
    }

    @Test func withinTwoUlpsOfLibmOverTheNormalRange() {
        // 200 001 points from −707 to 709, plus the reduction's boundaries near ±ln2/2 multiples.
        var worst: UInt64 = 0
        for i in 0...200_000 {
            let x = -707.0 + 1416.0 * Double(i) / 200_000
            worst = max(worst, Self.ulps(x.exponential(), exp(x)))
        }
        for k in -20...20 {
            for offset in [-1e-12, 0, 1e-12] {
                let x = (Double(k) + 0.5) * M_LN2 + offset
                worst = max(worst, Self.ulps(x.exponential(), exp(x)))
            }
        }
        #expect(worst <= 2)
    }

    @Test func exactAndSpecialValues() {
        #expect(Double(0).exponential() == 1)
        #expect(Double(-0.0).exponential() == 1)
        #expect(Double(1).exponential() == M_E || Self.ulps(Double(1).exponential(), M_E) <= 1)
        #expect(Double(709.78).exponential() == exp(709.78) || Self.ulps(Double(709.78).exponential(), exp(709.78)) <= 2)
        #expect(Double(710).exponential() == .infinity)
        #expect(Double.infinity.exponential() == .infinity)
        #expect((-Double.infinity).exponential() == 0)
        #expect(Double(-800).exponential() == 0)
        #expect(Double.nan.exponential().isNaN)
    }

    @Test func everyLaneMatchesTheScalar() {
        let inputs = [-3.7, 0.125, 12.5, -700.0]
        let quad = Quad(inputs[0], inputs[1], inputs[2], inputs[3]).exponential()
        for lane in 0..<4 { #expect(quad[lane].bitPattern == inputs[lane].exponential().bitPattern) }
    }
}
