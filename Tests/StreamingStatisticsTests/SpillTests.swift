#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import StreamingStatistics

/// Values outside a series' resolved slots (far outside the pilot range, or near zero) are kept by
/// their full keys: every quantile is within 2⁻¹⁰ of the exact sample quantile whatever the spread.
@Suite struct SpillTests {
    static let probabilities = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999]
    static let blockSize = 256

    /// One series staged as the engine stages it: blocks of `blockSize` in parts of 64 values,
    /// each block closed, then one commit.
    static func staged(_ values: [Double], range: SeriesRange) throws -> StatisticsAccumulator {
        let layout = HistogramLayout(ranges: [range])
        var accumulator = try StatisticsAccumulator(layout: layout)
        let staging = try HistogramStaging(layout: layout, capacity: values.count)
        for block in stride(from: 0, to: values.count, by: blockSize) {
            for part in stride(from: block, to: min(block + blockSize, values.count), by: 64) {
                values[part..<min(part + 64, block + blockSize, values.count)].withUnsafeBufferPointer { staging.append(series: TrackedSeriesIndex(0), values: $0) }
            }
            accumulator.closeBlocks(staging)
        }
        accumulator.commit(staging)
        return accumulator
    }

    /// Every probability against the exact type-7 quantile: within 2⁻¹⁰ relative, or, where the two
    /// order statistics straddle zero (the only case flagged), within 2⁻¹⁰ of the larger of them.
    func checkQuantiles(_ values: [Double], _ accumulator: StatisticsAccumulator) {
        let sorted = values.filter(\.isFinite).sorted()
        for (p, estimate) in zip(Self.probabilities, accumulator.quantiles(series: TrackedSeriesIndex(0), probabilities: Self.probabilities)) {
            let exact = exactQuantile(sorted: sorted, probability: p)
            let h = Double(sorted.count - 1) * p
            let low = sorted[Int(h.rounded(.down))], high = sorted[min(Int(h.rounded(.down)) + 1, sorted.count - 1)]
            if low < 0 && high > 0 {
                #expect(abs(estimate.value - exact) <= 0x1p-10 * max(-low, high), "p=\(p): \(estimate.value) vs \(exact)")
            } else {
                #expect(estimate.isWithinResolution, "p=\(p)")
                #expect(exact == 0 ? estimate.value == 0 : relativeError(estimate.value, exact) <= 0x1p-10, "p=\(p): \(estimate.value) vs \(exact)")
            }
        }
    }

    /// Range from a small pilot, as the engine takes it from its first chunk: most of a heavy tail
    /// lies outside it.
    @Test(arguments: [1.5, 2, 3])
    func lognormalTailsOutsideThePilot(sigma: Double) throws {
        var random = TestRandom(state: UInt64(sigma * 10))
        let values = random.values(20_000) { $0.lognormal(sigma: sigma) }
        let pilot = values.prefix(200)
        let range = SeriesRange(lower: pilot.min()!, upper: pilot.max()!)
        let staged = try Self.staged(values, range: range)
        checkQuantiles(values, staged)
        #expect(staged.spills[0] != nil)
        // The staging's fast pass spills exactly what one `add` per block does.
        #expect(try staged.serialized() == singleSeries(values, range: range, chunkSize: Self.blockSize).serialized())
        try checkSerializedByteCount(staged)
    }

    /// The size an encoding reserves and its memory check weighs: at least the bytes (several runs
    /// of spilled keys merge as they are written, which may shorten them), exactly those once read
    /// back (one run a series).
    func checkSerializedByteCount(_ accumulator: StatisticsAccumulator) throws {
        let bytes = accumulator.serialized()
        #expect(accumulator.serializedByteCount() >= bytes.count && accumulator.serializedByteCount(bound: true) >= accumulator.serializedByteCount())
        #expect(try StatisticsAccumulator(serialized: bytes).serializedByteCount() == bytes.count)
    }

    @Test func magnitudesFromOneEMinus300ToOneEPlus300() throws {
        var random = TestRandom(state: 9)
        let values = random.values(10_000) { exp(690 * (2 * $0.uniform() - 1)) }
        #expect(values.min()! < 1e-295 && values.max()! > 1e295)
        let staged = try Self.staged(values, range: SeriesRange(lower: 1, upper: 10))
        checkQuantiles(values, staged)
        #expect(staged.minimum(series: TrackedSeriesIndex(0)) == values.min()! && staged.maximum(series: TrackedSeriesIndex(0)) == values.max()!)
        #expect(try staged.serialized() == singleSeries(values, range: SeriesRange(lower: 1, upper: 10), chunkSize: Self.blockSize).serialized())
        #expect(!staged.wideMoments.isEmpty)
        try checkSerializedByteCount(staged)
    }

    /// Negative values, signed zeros, subnormals and both tails, in a range straddling zero (its
    /// near-zero slot), in a positive-only range (negatives and zeros underflow) and a negative-only one.
    @Test(arguments: [SeriesRange(lower: -1, upper: 1), SeriesRange(lower: 2, upper: 3), SeriesRange(lower: -3, upper: -2)])
    func negativeZeroAndMixedSigns(range: SeriesRange) throws {
        var random = TestRandom(state: 11)
        let values = random.values(20_000) { random in
            let u = random.uniform()
            if u < 0.05 { return u < 0.025 ? 0.0 : -0.0 }
            if u < 0.07 { return (u < 0.06 ? -1 : 1) * .leastNormalMagnitude * random.uniform() }
            return (u < 0.5 ? -1 : 1) * random.lognormal(sigma: 3) * 1e-3
        }
        let staged = try Self.staged(values, range: range)
        checkQuantiles(values, staged)
        #expect(try staged.serialized() == singleSeries(values, range: range, chunkSize: Self.blockSize).serialized())
    }

    /// Chunks in any order, over any workers and merge trees, and through the serialized form, give
    /// the same bytes, spilled keys and wide sums included.
    @Test func mergesInAnyOrderGiveTheSameBits() throws {
        var random = TestRandom(state: 21)
        let values = random.values(30_000) { random in
            random.uniform() < 0.01 ? 1e30 * random.lognormal(sigma: 2) : random.lognormal(sigma: 2.5) - 0.5
        }
        let range = SeriesRange(lower: 0.5, upper: 2)
        let chunkSize = 1000
        let reference = try singleSeries(values, range: range, chunkSize: chunkSize)
        #expect(reference.spills[0] != nil && reference.wideMoments[0] != nil)
        let bytes = reference.serialized()
        for workerCount in [2, 3, 7] {
            var workers = try (0..<workerCount).map { _ in try StatisticsAccumulator(layout: reference.layout) }
            for chunk in (0..<30).shuffled(using: &random) {
                add(values, series: 0, chunkSize: chunkSize, chunkOrder: [chunk], to: &workers[Int(random.next() % UInt64(workerCount))])
            }
            var merged = workers.removeLast()
            for worker in workers.shuffled(using: &random) { try merged.merge(serialized: worker.serialized()[...]) }
            #expect(merged.serialized() == bytes)
        }
        let restored = try StatisticsAccumulator(serialized: bytes)
        #expect(restored == reference)
        checkQuantiles(values, restored)
        let finite = values.sorted()
        let mean = compensatedSum(finite) / Double(finite.count)
        #expect(relativeError(restored.mean(series: TrackedSeriesIndex(0)), mean) <= 1e-12)
        #expect(relativeError(restored.standardDeviation(series: TrackedSeriesIndex(0)), twoPassReference(finite).standardDeviation) <= 1e-9)
    }

    /// Squares beyond the doubles: the mean is still exact, the deviation is not computable and says so.
    @Test func squaresBeyondTheDoublesMakeTheDeviationNotComputable() throws {
        let values = [1.0, 2, 3e200, 1.5, -1e200]
        let accumulator = try singleSeries(values, range: SeriesRange(lower: 1, upper: 2))
        #expect(relativeError(accumulator.mean(series: TrackedSeriesIndex(0)), 2e200 / 5) <= 0x1p-52)
        #expect(accumulator.standardDeviation(series: TrackedSeriesIndex(0)).isNaN && accumulator.standardError(series: TrackedSeriesIndex(0)).isNaN)
        #expect(accumulator.momentsSaturated(series: TrackedSeriesIndex(0)))
        #expect(relativeError(accumulator.quantile(series: TrackedSeriesIndex(0), probability: 0.5).value, 1.5) <= 0x1p-10)
    }

    /// Spilled counts must agree with the bins they refine.
    @Test func spilledCountsThatDisagreeWithTheBinsAreRejected() throws {
        var accumulator = try singleSeries([1, 1.5, 100, 200], range: SeriesRange(lower: 1, upper: 2))
        accumulator.spills[0]!.add([SpillEntry(key: SeriesGeometry.spillKey(of: 100), count: 1)])
        #expect {
            try StatisticsAccumulator(serialized: accumulator.serialized())
        } throws: { error in
            if case StatisticsDecodingError.malformed = error { true } else { false }
        }
    }
}
