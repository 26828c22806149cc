import Testing
@testable import StreamingStatistics

/// A reset accumulator or staging (a sweep reuses its workers' from point to point) must count as
/// a new one would: the same bits, whatever layout it had before.
struct ReuseTests {
    /// Stages and commits `series` (StagingTests' chunking) into `accumulator` through `staging`.
    static func count(_ series: [[Double]], into accumulator: inout StatisticsAccumulator, staging: HistogramStaging) {
        for chunk in StagingTests.chunks {
            for block in StagingTests.blocks(of: chunk) {
                for (s, values) in series.enumerated() {
                    values[block].withUnsafeBufferPointer { staging.append(series: TrackedSeriesIndex(s), values: $0) }
                }
                accumulator.closeBlocks(staging)
            }
            accumulator.commit(staging)
        }
    }

    @Test func resetAccumulatorsAndStagingsCountAsNewOnes() throws {
        let wide = HistogramLayout(ranges: StagingTests.ranges)
        // Narrower ranges (fewer bins) and wider ones (more), each series on another side of zero.
        let narrow = HistogramLayout(ranges: [SeriesRange(lower: 1, upper: 2), SeriesRange(lower: 0.5, upper: 1), SeriesRange(lower: -1, upper: -0.5),
                                              SeriesRange(lower: 1, upper: 2), SeriesRange(lower: 1, upper: 1.5), SeriesRange(lower: 2, upper: 3)])
        let wider = HistogramLayout(ranges: StagingTests.ranges.map { SeriesRange(lower: -1e6, upper: 1e6 + $0.upper) })
        #expect(narrow.totalBinCount < wide.totalBinCount && wider.totalBinCount > wide.totalBinCount)
        let data = StagingTests.data, reversed = StagingTests.data.map { Array($0.reversed()) }
        var accumulator = try StatisticsAccumulator(layout: wide)
        let staging = try HistogramStaging(layout: wide, capacity: StagingTests.chunkSize)
        Self.count(data, into: &accumulator, staging: staging)
        var mapped = wide.totalBinCount
        for (i, (layout, series)) in [(narrow, reversed), (wide, data), (wider, reversed), (narrow, data)].enumerated() {
            let before = accumulator.bins.withUnsafeBufferPointer { $0.baseAddress }
            try accumulator.reset(layout: layout)
            // Every other reset maps all pages of the bins, and commits then warm them from the first on.
            let allMapped = i.isMultiple(of: 2) && accumulator.mapBins()
            #if os(Linux)
            #expect(allMapped == i.isMultiple(of: 2))
            #endif
            staging.reset(layout: layout, binsMapped: allMapped)
            let after = accumulator.bins.withUnsafeBufferPointer { $0.baseAddress }
            // Bins that fit in the mapped ones are reused, not mapped anew.
            if layout.totalBinCount <= mapped { #expect(before == after) }
            mapped = max(mapped, layout.totalBinCount)
            #expect(accumulator.bins.count == layout.totalBinCount)
            Self.count(series, into: &accumulator, staging: staging)
            var fresh = try StatisticsAccumulator(layout: layout)
            Self.count(series, into: &fresh, staging: try HistogramStaging(layout: layout, capacity: StagingTests.chunkSize))
            #expect(accumulator == fresh)
            #expect(accumulator.spills == fresh.spills && accumulator.nonFiniteSamples == fresh.nonFiniteSamples)
        }
    }

    /// A staging whose slots a finished worker gave back takes no more values, and committing it
    /// (as a checkpoint after the last round does) leaves the accumulator as it was.
    @Test func aReleasedStagingTakesNothingAndCommitsNothing() throws {
        let layout = HistogramLayout(ranges: StagingTests.ranges)
        var accumulator = try StatisticsAccumulator(layout: layout)
        let staging = try HistogramStaging(layout: layout, capacity: StagingTests.chunkSize)
        Self.count(StagingTests.data, into: &accumulator, staging: staging)
        #expect(staging.hasRoom(for: 1))
        let counted = accumulator
        staging.releaseSlots()
        #expect(!staging.hasRoom(for: 1) && staging.hasRoom(for: 0))
        accumulator.commit(staging)
        #expect(accumulator == counted && accumulator.moments == counted.moments && accumulator.spills == counted.spills)
    }

    /// The sixteen-lane extremes against the value-by-value loop, bit for bit: signed zeros in both
    /// orders, NaNs, infinities, every length from 0 to 40 (whole lane groups and tails).
    @Test func finiteExtremesAreTheLoopsBitForBit() {
        var random = TestRandom(state: 5)
        let pool: [Double] = [0.0, -0.0, .nan, .infinity, -.infinity, 1.5, -2.25, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 3]
        for trial in 0..<2000 {
            let count = trial % 41
            let values = (0..<count).map { _ in pool[Int(random.uniform() * Double(pool.count))] }
            var lower = Double.infinity, upper = -Double.infinity
            for value in values where value.isFinite {
                lower = min(lower, value)
                upper = max(upper, value)
            }
            let extremes = values.withUnsafeBufferPointer { finiteExtremes($0) }
            #expect(extremes.lower.bitPattern == lower.bitPattern && extremes.upper.bitPattern == upper.bitPattern, "\(values)")
        }
    }
}
