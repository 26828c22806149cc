import Testing
@testable import StreamingStatistics

struct RankTests {
    /// The empirical CDF read from the histogram against the exact fraction of stored values.
    @Test func fractionMatchesTheExactEmpiricalCDF() throws {
        // Uniform on [1, 4), in a scrambled order.
        let values: [Double] = (0..<10_000).map { (i: Int) -> Double in
            let k = Double((i &* 7919) % 10_000)
            return 1 + 3 * k / 10_000
        }
        var accumulator = try StatisticsAccumulator(layout: HistogramLayout(ranges: [SeriesRange(lower: 1, upper: 4)]))
        values.withUnsafeBufferPointer { accumulator.add(series: TrackedSeriesIndex(0), values: $0) }
        for x in [0.5, 1.2, 2.0, 2.5, 3.99, 4.5] {
            let exact = Double(values.filter { $0 <= x }.count) / Double(values.count)
            #expect(abs(accumulator.fractionAtOrBelow(series: TrackedSeriesIndex(0), value: x) - exact) < 2e-3, "x = \(x)")
        }
        #expect(accumulator.fractionAtOrBelow(series: TrackedSeriesIndex(0), value: 0.5) == 0)
        #expect(accumulator.fractionAtOrBelow(series: TrackedSeriesIndex(0), value: 9) == 1)
    }
}
