import Foundation
import Testing
import GrowthCurves

@Suite struct PiecewiseLinearPathTests {
    @Test func interpolatesAndHoldsBeyondTheEnds() throws {
        let path = try PiecewiseLinearPath(anchors: [(2020, 10), (2030, 30), (2050, 0)])
        #expect(path.value(at: 2020) == 10)
        #expect(path.value(at: 2025) == 20)
        #expect(path.value(at: 2030) == 30)
        #expect(path.value(at: 2040) == 15)
        #expect(path.value(at: 1990) == 10)
        #expect(path.value(at: 2100) == 0)
    }

    @Test func singleAnchorIsConstant() throws {
        let path = try PiecewiseLinearPath(anchors: [(2030, 7)])
        #expect(path.value(at: 2000) == 7 && path.value(at: 2060) == 7)
    }

    @Test func invalidAnchorsAreRejected() {
        #expect(throws: PathError.tooFewAnchors(needed: 1, got: 0)) { try PiecewiseLinearPath(anchors: []) }
        #expect(throws: PathError.notStrictlyIncreasing(index: 1)) {
            try PiecewiseLinearPath(anchors: [(2030, 1), (2030, 2)])
        }
        #expect(throws: PathError.nonFiniteAnchor(index: 0)) { try PiecewiseLinearPath(anchors: [(.nan, 1)]) }
    }
}

@Suite struct LogLinearPathTests {
    @Test func compoundGrowthBetweenAnchors() throws {
        // 100 → 400 over 20 years is doubling every 10 years; then flat to 2060.
        let path = try LogLinearPath(anchors: [(2020, 100), (2040, 400), (2060, 400)])
        #expect(abs(path.value(at: 2030) - 200) < 1e-10)
        #expect(abs(path.value(at: 2040) - 400) < 1e-10)
        #expect(abs(path.value(at: 2050) - 400) < 1e-10)
        #expect(abs(path.growthRates[0] - (pow(2, 0.1) - 1)) < 1e-14)
        #expect(path.growthRates[1] == 0)
        #expect(abs(path.logGrowthRates[0] - log(2) / 10) < 1e-15)
    }

    @Test func extrapolatesWithTheNearestRate() throws {
        let path = try LogLinearPath(anchors: [(2020, 100), (2030, 200), (2040, 300)])
        #expect(abs(path.value(at: 2010) - 50) < 1e-10)
        #expect(abs(path.value(at: 2050) - 450) < 1e-10)
        #expect(abs(path.growthRate(at: 2000) - (pow(2, 0.1) - 1)) < 1e-14)
        #expect(abs(path.growthRate(at: 2045) - (pow(1.5, 0.1) - 1)) < 1e-14)
    }

    @Test func invalidAnchorsAreRejected() {
        #expect(throws: PathError.tooFewAnchors(needed: 2, got: 1)) { try LogLinearPath(anchors: [(2020, 1)]) }
        #expect(throws: PathError.nonPositiveValue(index: 1, value: 0)) {
            try LogLinearPath(anchors: [(2020, 1), (2030, 0)])
        }
        #expect(throws: PathError.notStrictlyIncreasing(index: 2)) {
            try LogLinearPath(anchors: [(2020, 1), (2030, 2), (2025, 3)])
        }
        #expect(PathError.nonPositiveValue(index: 1, value: 0).description.contains("positive"))
    }
}
