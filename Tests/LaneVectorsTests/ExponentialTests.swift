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
            worst = max(worst, Self.ulps(laneExponential(x), exp(x)))
        }
        for k in -20...20 {
            for offset in [-1e-12, 0, 1e-12] {
                let x = (Double(k) + 0.5) * M_LN2 + offset
                worst = max(worst, Self.ulps(laneExponential(x), exp(x)))
            }
        }
        #expect(worst <= 2)
    }

    @Test func exactAndSpecialValues() {
        #expect(laneExponential(0) == 1)
        #expect(laneExponential(-0.0) == 1)
        #expect(laneExponential(1) == M_E || Self.ulps(laneExponential(1), M_E) <= 1)
        #expect(laneExponential(709.78) == exp(709.78) || Self.ulps(laneExponential(709.78), exp(709.78)) <= 2)
        #expect(laneExponential(710) == .infinity)
        #expect(laneExponential(.infinity) == .infinity)
        #expect(laneExponential(-.infinity) == 0)
        #expect(laneExponential(-800) == 0)
        #expect(laneExponential(.nan).isNaN)
    }

    @Test func everyLaneMatchesTheScalar() {
        let inputs = [-3.7, 0.125, 12.5, -700.0]
        let quad = Quad(inputs[0], inputs[1], inputs[2], inputs[3]).exponential()
        for lane in 0..<4 { #expect(quad[lane].bitPattern == laneExponential(inputs[lane]).bitPattern) }
    }
}
