import Testing
@testable import SVGCharts

@Suite("Nice scale")
struct NiceScaleTests {
    // Heckbert, "Nice Numbers for Graph Labels", Graphics Gems (1990): rounding maps the fraction
    // below 1.5 to 1, below 3 to 2, below 7 to 5, else 10; the ceiling variant takes the next one up.
    @Test func niceNumbersFollowHeckbertsTable() {
        #expect(NiceScale.niceNumber(0.868, rounded: true) == 1)
        #expect(NiceScale.niceNumber(1.49, rounded: true) == 1)
        #expect(NiceScale.niceNumber(2.5, rounded: true) == 2)
        #expect(NiceScale.niceNumber(3, rounded: true) == 5)
        #expect(NiceScale.niceNumber(7, rounded: true) == 10)
        #expect(NiceScale.niceNumber(43.4, rounded: false) == 50)
        #expect(NiceScale.niceNumber(1, rounded: false) == 1)
        #expect(NiceScale.niceNumber(1.01, rounded: false) == 2)
        #expect(NiceScale.niceNumber(0.0021, rounded: false) == 0.005)
    }

    @Test func zeroToFourPointThreeFourGetsWholeSteps() {
        let scale = NiceScale(minimum: 0, maximum: 4.34, targetTickCount: 6)
        #expect(scale.ticks == [0, 1, 2, 3, 4, 5])
        #expect(scale.lower == 0 && scale.upper == 5)
        #expect(NiceScale(minimum: 0, maximum: 4.34, targetTickCount: 10).ticks == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5])
    }

    @Test func negativeRangesAreCoveredByRoundTicks() {
        let scale = NiceScale(minimum: -3.7, maximum: 1.2, targetTickCount: 6)
        #expect(scale.step == 1)
        #expect(scale.ticks == [-4, -3, -2, -1, 0, 1, 2])
        let allNegative = NiceScale(minimum: -0.37, maximum: -0.02, targetTickCount: 5)
        #expect(allNegative.step == 0.1)
        #expect(allNegative.ticks == [-0.4, -0.3, -0.2, -0.1, 0])
    }

    @Test func decimalTicksAreExactDecimals() {
        let scale = NiceScale(minimum: 0.1, maximum: 0.3, targetTickCount: 5)
        #expect(scale.ticks == [0.1, 0.15, 0.2, 0.25, 0.3])
        #expect(scale.decimals == 2)
    }

    @Test func tightScaleKeepsTheDataRange() {
        let years = NiceScale(minimum: 2025, maximum: 2050, targetTickCount: 6, tight: true)
        #expect(years.lower == 2025 && years.upper == 2050)
        #expect(years.ticks == [2025, 2030, 2035, 2040, 2045, 2050])
        let odd = NiceScale(minimum: 2023, maximum: 2049, targetTickCount: 4, tight: true)
        #expect(odd.ticks == [2030, 2040])
    }

    @Test func integerStepNeverSplitsAYear() {
        let scale = NiceScale(minimum: 2024, maximum: 2026, targetTickCount: 8, tight: true, integerStep: true)
        #expect(scale.ticks == [2024, 2025, 2026])
    }

    @Test func degenerateInputsStillGiveAnAxis() {
        let constant = NiceScale(covering: [5, 5, 5])
        #expect(constant.lower < 5 && constant.upper > 5 && constant.ticks.count >= 2)
        let zero = NiceScale(covering: [0, 0])
        #expect(zero.lower <= -1 && zero.upper >= 1)
        let empty = NiceScale(covering: [Double]())
        #expect(empty.lower == 0 && empty.upper == 1)
        let nonFinite = NiceScale(covering: [.nan, .infinity, 3, -.infinity, 7])
        #expect(nonFinite.lower == 3 && nonFinite.upper == 7)
        #expect(NiceScale(covering: [2, 4], includeZero: true).lower == 0)
    }

    @Test func ticksAlwaysCoverTheData() {
        for (low, high) in [(0.0013, 0.0171), (-1234.5, 98765.4), (1e-9, 3e-9), (17.0, 17.5), (-2e7, -1e7)] {
            let scale = NiceScale(minimum: low, maximum: high)
            #expect(scale.lower <= low && scale.upper >= high)
            #expect(scale.ticks.first == scale.lower && scale.ticks.last == scale.upper)
            #expect((3...12).contains(scale.ticks.count))
        }
    }

    @Test func tickLabelsShareOneFormat() {
        let millions = TickLabels(scale: NiceScale(minimum: 0, maximum: 2_000_000, targetTickCount: 5))
        #expect(millions.text(0) == "0")
        #expect(millions.text(1_500_000) == "1.5M")
        #expect(millions.text(2_000_000) == "2.0M")
        let years = TickLabels(scale: NiceScale(minimum: 2025, maximum: 2050, tight: true))
        #expect(years.text(2030) == "2030")
        let signed = TickLabels(scale: NiceScale(minimum: -1, maximum: 1, targetTickCount: 5))
        #expect(signed.text(-0.5) == "\u{2212}0.5")
    }
}
