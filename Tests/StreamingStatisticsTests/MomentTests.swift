import Testing
import StreamingStatistics

@Suite struct MomentTests {
    @Test func nistNumAcc1() throws {
        // NIST StRD univariate summary statistics, NumAcc1: certified mean 10000002, sd 1.
        let accumulator = try singleSeries([10000001, 10000003, 10000002])
        #expect(accumulator.mean(series: TrackedSeriesIndex(0)) == 10000002)
        #expect(abs(accumulator.standardDeviation(series: TrackedSeriesIndex(0)) - 1) <= 1e-12)
    }

    @Test func nistNumAcc3() throws {
        // NIST StRD NumAcc3: 1000000.2 followed by 500 pairs (1000000.1, 1000000.3);
        // certified mean 1000000.2 and sd 0.1 (exact for the decimal data). The doubles nearest the
        // decimals have a spread differing by about 4e-10 relative, hence the tolerance on the sd.
        var values = [1000000.2]
        for _ in 0..<500 { values += [1000000.1, 1000000.3] }
        let accumulator = try singleSeries(values, chunkSize: 128)
        #expect(relativeError(accumulator.mean(series: TrackedSeriesIndex(0)), 1000000.2) <= 1e-15)
        #expect(relativeError(accumulator.standardDeviation(series: TrackedSeriesIndex(0)), 0.1) <= 1e-8)
        #expect(accumulator.count(series: TrackedSeriesIndex(0)) == 1001)
    }

    @Test(arguments: ["uniform", "lognormal", "normal"])
    func matchTheTwoPassReference(distribution: String) throws {
        var random = TestRandom(state: 7)
        let values: [Double] = random.values(20_000) { random in
            switch distribution {
            case "uniform": 10 + 5 * random.uniform()
            case "lognormal": random.lognormal(sigma: 1.5)
            default: 0.3 + 2 * random.normal()
            }
        }
        let pilot = values.prefix(300)
        let accumulator = try singleSeries(values, range: SeriesRange(lower: pilot.min()!, upper: pilot.max()!), chunkSize: 1000)
        let reference = twoPassReference(values)
        let scale = max(abs(reference.mean), reference.standardDeviation)
        #expect(relativeError(accumulator.mean(series: TrackedSeriesIndex(0)), reference.mean, scale: scale) <= 1e-12)
        #expect(relativeError(accumulator.standardDeviation(series: TrackedSeriesIndex(0)), reference.standardDeviation) <= 1e-12)
        let standardError = reference.standardDeviation / Double(values.count).squareRoot()
        #expect(relativeError(accumulator.standardError(series: TrackedSeriesIndex(0)), standardError) <= 1e-12)
        #expect(accumulator.minimum(series: TrackedSeriesIndex(0)) == values.min() && accumulator.maximum(series: TrackedSeriesIndex(0)) == values.max())
    }

    @Test func nonFiniteValuesAreCountedApart() throws {
        let values = [1.0, .nan, 2, .infinity, 3, -.infinity, 4]
        let accumulator = try singleSeries(values, range: SeriesRange(lower: 1, upper: 4), chunkSize: 3)
        #expect(accumulator.count(series: TrackedSeriesIndex(0)) == 4)
        #expect(accumulator.nonFiniteCount(series: TrackedSeriesIndex(0)) == 3)
        #expect(accumulator.mean(series: TrackedSeriesIndex(0)) == 2.5)
        #expect(accumulator.minimum(series: TrackedSeriesIndex(0)) == 1 && accumulator.maximum(series: TrackedSeriesIndex(0)) == 4)
        #expect(accumulator.quantile(series: TrackedSeriesIndex(0), probability: 1).value == 4)
    }

    @Test func degenerateCounts() throws {
        let empty = try StatisticsAccumulator(layout: HistogramLayout(ranges: [SeriesRange(lower: 0, upper: 1)]))
        #expect(empty.mean(series: TrackedSeriesIndex(0)).isNaN && empty.minimum(series: TrackedSeriesIndex(0)).isNaN)
        let one = try singleSeries([0.25], range: SeriesRange(lower: 0, upper: 1))
        #expect(one.mean(series: TrackedSeriesIndex(0)) == 0.25)
        #expect(one.standardDeviation(series: TrackedSeriesIndex(0)).isNaN)
    }

    /// One value in every sample, with the range a run's pilot gives it (widened by 2 each side, so
    /// the shift lies a quarter of the value away): its mean is that value and its deviation 0,
    /// exactly. Values a few ulps apart keep their mean between them and a deviation no larger than
    /// their spread allows, (max − min)/2·√(n/(n − 1)), where the sums' rounding alone is ~1e-6.
    @Test func constantAndNearConstantSeries() throws {
        let value = 104.99999999999801, n = 100_000
        let range = SeriesRange(lower: value / 2, upper: value * 2)
        let constant = try singleSeries(Array(repeating: value, count: n), range: range, chunkSize: 2048)
        #expect(constant.mean(series: TrackedSeriesIndex(0)) == value)
        #expect(constant.standardDeviation(series: TrackedSeriesIndex(0)) == 0)
        let ulp = value.ulp
        let steps = (0..<n).map { value + Double($0 % 4) * ulp }
        let near = try singleSeries(steps, range: range, chunkSize: 2048)
        let mean = near.mean(series: TrackedSeriesIndex(0))
        #expect(mean >= value && mean <= value + 3 * ulp)
        let deviation = near.standardDeviation(series: TrackedSeriesIndex(0))
        #expect(deviation <= 1.5 * ulp * (Double(n) / Double(n - 1)).squareRoot(), "\(deviation)")
    }

    /// A chunk too far out for the fixed-point sums keeps its sums exactly beside them.
    @Test func farOutliersKeepExactMoments() throws {
        let accumulator = try singleSeries([0.5, 1e30, 0.25], range: SeriesRange(lower: 0, upper: 1))
        #expect(!accumulator.momentsSaturated(series: TrackedSeriesIndex(0)))
        #expect(relativeError(accumulator.mean(series: TrackedSeriesIndex(0)), 1e30 / 3) <= 0x1p-52)
        #expect(relativeError(accumulator.standardDeviation(series: TrackedSeriesIndex(0)), 1e30 / 3.0.squareRoot()) <= 0x1p-50)
        #expect(accumulator.count(series: TrackedSeriesIndex(0)) == 3)
        #expect(accumulator.maximum(series: TrackedSeriesIndex(0)) == 1e30)
        let median = accumulator.quantile(series: TrackedSeriesIndex(0), probability: 0.5)
        #expect(median.isWithinResolution && relativeError(median.value, 0.5) <= 0x1p-10)
    }
}
