import Testing
import StreamingStatistics

@Suite struct QuantileTests {
    static let probabilities = [0.01, 0.025, 0.05, 0.1, 0.25, 0.382, 0.5, 0.75, 0.9, 0.95, 0.975, 0.99]

    /// Checks every probability: within 2⁻¹⁰ relative where flagged resolved, and otherwise within
    /// `unresolvedTolerance` absolute. Returns how many estimates were flagged resolved.
    @discardableResult
    func checkQuantiles(_ values: [Double], accumulator: StatisticsAccumulator,
                        unresolvedTolerance: Double = .infinity) -> Int {
        let sorted = values.filter(\.isFinite).sorted()
        var resolved = 0
        for (p, estimate) in zip(Self.probabilities, accumulator.quantiles(series: TrackedSeriesIndex(0), probabilities: Self.probabilities)) {
            let exact = exactQuantile(sorted: sorted, probability: p)
            #expect(estimate == accumulator.quantile(series: TrackedSeriesIndex(0), probability: p))
            if estimate.isWithinResolution {
                resolved += 1
                #expect(relativeError(estimate.value, exact) <= 0x1p-10, "p=\(p): \(estimate.value) vs \(exact)")
            } else {
                #expect(abs(estimate.value - exact) <= unresolvedTolerance, "p=\(p): \(estimate.value) vs \(exact)")
            }
        }
        return resolved
    }

    @Test func uniformValues() throws {
        var random = TestRandom(state: 1)
        let values = random.values(20_000) { $0.uniform() }
        let accumulator = try singleSeries(values)
        #expect(checkQuantiles(values, accumulator: accumulator) == Self.probabilities.count)
    }

    @Test func lognormalWithHeavyRightTail() throws {
        var random = TestRandom(state: 2)
        let values = random.values(20_000) { $0.lognormal(sigma: 1.5) }
        // Range from a pilot of the first 500 values, as the engine does.
        let pilot = values.prefix(500)
        let accumulator = try singleSeries(values, range: SeriesRange(lower: pilot.min()!, upper: pilot.max()!))
        #expect(checkQuantiles(values, accumulator: accumulator) == Self.probabilities.count)
    }

    @Test func normalStraddlingZero() throws {
        var random = TestRandom(state: 3)
        let values = random.values(20_000) { 0.3 + $0.normal() }
        let range = SeriesRange(lower: -4, upper: 4)
        let accumulator = try singleSeries(values, range: range)
        // Near zero the guarantee is absolute: twice the floor 2^(⌊log2 4⌋ − 12) plus the relative part.
        let resolved = checkQuantiles(values, accumulator: accumulator, unresolvedTolerance: 0x1p-9)
        #expect(resolved >= Self.probabilities.count - 1)
        // Φ(−0.3) ≈ 0.382: that quantile sits at zero, within the near-zero floor.
        let nearZero = accumulator.quantile(series: TrackedSeriesIndex(0), probability: 0.382)
        #expect(abs(nearZero.value) < 0.01)
    }

    @Test func constantSeriesIsExact() throws {
        for (value, range) in [(3.7, SeriesRange(lower: 3.7, upper: 3.7)), (0.0, SeriesRange(lower: 0, upper: 0)),
                               (-2.5, SeriesRange(lower: -3, upper: 1))] {
            let accumulator = try singleSeries(Array(repeating: value, count: 1000), range: range)
            for p in Self.probabilities {
                #expect(accumulator.quantile(series: TrackedSeriesIndex(0), probability: p) == QuantileEstimate(value: value, isWithinResolution: true))
            }
        }
    }

    @Test func tinySamplesUseTheExactExtremes() throws {
        let one = try singleSeries([5], range: SeriesRange(lower: 1, upper: 10))
        for p in [0, 0.01, 0.5, 0.99, 1] {
            #expect(one.quantile(series: TrackedSeriesIndex(0), probability: p) == QuantileEstimate(value: 5, isWithinResolution: true))
        }
        let two = try singleSeries([7, 2], range: SeriesRange(lower: 1, upper: 10))
        for p in [0, 0.01, 0.5, 0.99, 1] {
            let estimate = two.quantile(series: TrackedSeriesIndex(0), probability: p)
            #expect(abs(estimate.value - (2 + 5 * p)) <= 1e-12)
            #expect(estimate.isWithinResolution)
        }
    }

    @Test func knownAnswersOfTypeSeven() throws {
        // R: quantile(1:10, c(0.1, 0.33, 0.5, 0.9)) gives 1.9, 3.97, 5.5, 9.1 (type 7, Hyndman & Fan 1996).
        let accumulator = try singleSeries((1...10).map(Double.init))
        for (p, expected) in [(0.1, 1.9), (0.33, 3.97), (0.5, 5.5), (0.9, 9.1)] {
            let estimate = accumulator.quantile(series: TrackedSeriesIndex(0), probability: p)
            #expect(estimate.isWithinResolution)
            #expect(relativeError(estimate.value, expected) <= 0x1p-10)
        }
    }

    @Test func valuesOutsideTheRangeAreResolved() throws {
        let values = Array(repeating: 1.0, count: 30) + Array(repeating: 15.0, count: 40) + Array(repeating: 1000.0, count: 30)
        let accumulator = try singleSeries(values, range: SeriesRange(lower: 10, upper: 20))
        for (p, expected) in [(0.1, 1.0), (0.5, 15), (0.9, 1000)] {
            let estimate = accumulator.quantile(series: TrackedSeriesIndex(0), probability: p)
            #expect(estimate.isWithinResolution && relativeError(estimate.value, expected) <= 0x1p-10, "p = \(p)")
        }
        #expect(accumulator.minimum(series: TrackedSeriesIndex(0)) == 1 && accumulator.maximum(series: TrackedSeriesIndex(0)) == 1000)
    }

    /// Exact zeros among values of both signs (a paired difference of equal values): the quantiles
    /// inside the run of zeros are exactly 0, as the type-7 sample quantiles are, not a position in
    /// the 2⁻¹⁰³²-wide bucket of zero and the subnormals; those outside it stay within resolution.
    @Test func exactZerosGiveZero() throws {
        var random = TestRandom(state: 12)
        let values = random.values(20_000) { $0.uniform() < 0.84 ? 0 : $0.normal() }
        let accumulator = try singleSeries(values, range: SeriesRange(lower: -3, upper: 3))
        let sorted = values.sorted()
        for p in [0.25, 0.382, 0.5, 0.75] {
            #expect(exactQuantile(sorted: sorted, probability: p) == 0)
            let estimate = accumulator.quantile(series: TrackedSeriesIndex(0), probability: p).value
            #expect(estimate == 0 && estimate.sign == .plus, "p=\(p): \(estimate)")
        }
        for p in [0.01, 0.05, 0.95, 0.99] {
            let estimate = accumulator.quantile(series: TrackedSeriesIndex(0), probability: p)
            #expect(estimate.isWithinResolution && relativeError(estimate.value, exactQuantile(sorted: sorted, probability: p)) <= 0x1p-10, "p=\(p)")
        }
    }

    @Test func emptySeriesHasNoQuantile() throws {
        let accumulator = try StatisticsAccumulator(layout: HistogramLayout(ranges: [SeriesRange(lower: 0, upper: 1)]))
        let estimate = accumulator.quantile(series: TrackedSeriesIndex(0), probability: 0.5)
        #expect(estimate.value.isNaN && !estimate.isWithinResolution)
    }
}
