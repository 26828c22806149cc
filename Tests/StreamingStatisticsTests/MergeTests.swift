import Testing
@testable import StreamingStatistics

@Suite struct MergeTests {
    static let chunkSize = 97
    static let ranges = [SeriesRange(lower: -4, upper: 4), SeriesRange(lower: 0.2, upper: 30), SeriesRange(lower: 0, upper: 0)]

    /// Three series with values that make floating-point sums order dependent, signed zeros and non-finite values.
    static let data: [[Double]] = {
        var random = TestRandom(state: 5)
        let straddling = random.values(3000) { random in
            let u = random.uniform()
            return u < 0.01 ? -0.0 : (u < 0.02 ? 0.0 : (u < 0.025 ? .nan : 0.3 + 1e3 * random.normal() * random.uniform() * 1e-3))
        }
        let lognormal = random.values(3000) { $0.lognormal(sigma: 1.2) }
        let zeros = random.values(3000) { $0.uniform() < 0.5 ? 0.0 : -0.0 }
        return [straddling, lognormal, zeros]
    }()

    static var chunkCount: Int { (data[0].count + chunkSize - 1) / chunkSize }

    /// All series of one chunk into `accumulator`, the way an engine worker does.
    static func addChunk(_ chunk: Int, to accumulator: inout StatisticsAccumulator) {
        for (series, values) in data.enumerated() {
            add(values, series: series, chunkSize: chunkSize, chunkOrder: [chunk], to: &accumulator)
        }
    }

    static func accumulator(chunks: some Sequence<Int>) throws -> StatisticsAccumulator {
        var result = try StatisticsAccumulator(layout: HistogramLayout(ranges: ranges))
        for chunk in chunks { addChunk(chunk, to: &result) }
        return result
    }

    static var reference: [UInt8] { get throws { try accumulator(chunks: 0..<chunkCount).serialized() } }

    @Test func reversedOrderGivesIdenticalBytes() throws {
        #expect(try Self.accumulator(chunks: (0..<Self.chunkCount).reversed()).serialized() == Self.reference)
    }

    @Test(arguments: [2, 3, 5, 8])
    func randomWorkersAndMergeTreesGiveIdenticalBytes(workerCount: Int) throws {
        var random = TestRandom(state: UInt64(workerCount))
        var workers = try (0..<workerCount).map { _ in try StatisticsAccumulator(layout: HistogramLayout(ranges: Self.ranges)) }
        for chunk in (0..<Self.chunkCount).shuffled(using: &random) {
            Self.addChunk(chunk, to: &workers[Int(random.next() % UInt64(workerCount))])
        }
        // Merge random pairs until one is left: a random grouping.
        while workers.count > 1 {
            let i = Int(random.next() % UInt64(workers.count))
            var left = workers.remove(at: i)
            let j = Int(random.next() % UInt64(workers.count))
            left.merge(workers.remove(at: j))
            workers.append(left)
        }
        #expect(try workers[0].serialized() == Self.reference)
    }

    @Test func serializedShardsMergeToIdenticalBytes() throws {
        let bounds = [0, 7, 8, 20, Self.chunkCount]
        let files = try zip(bounds, bounds.dropFirst()).map { try Self.accumulator(chunks: $0..<$1).serialized() }
        var merged = try StatisticsAccumulator(serialized: files[3])
        for file in files[..<3].reversed() { merged.merge(try StatisticsAccumulator(serialized: file)) }
        #expect(try merged.serialized() == Self.reference)
    }

    @Test func signedZerosGiveOrderIndependentExtremes() throws {
        let forward = try Self.accumulator(chunks: 0..<Self.chunkCount)
        #expect(forward.minimum(series: TrackedSeriesIndex(2)).bitPattern == (-0.0).bitPattern)
        #expect(forward.maximum(series: TrackedSeriesIndex(2)).bitPattern == (0.0).bitPattern)
    }

    /// 41 series of several shapes, every seventh empty: an encoding's runs of series on several
    /// threads then hold several series each, some none with values.
    static func manySeries(seed: UInt64) throws -> StatisticsAccumulator {
        var random = TestRandom(state: seed)
        let ranges = (0..<41).map { SeriesRange(lower: -Double($0 % 3), upper: 1 + Double($0)) }
        var result = try StatisticsAccumulator(layout: HistogramLayout(ranges: ranges))
        for series in ranges.indices where series % 7 != 3 {
            let values = random.values(900) { random in
                series % 2 == 0 ? random.lognormal(sigma: 0.1 * Double(series)) : ranges[series].upper * (random.normal() + 0.5)
            }
            add(values + (series % 5 == 0 ? [.nan] : []), series: series, chunkSize: 300, to: &result)
        }
        return result
    }

    @Test(arguments: [2, 3, 8, 64])
    func encodingsOnThreadsAreThoseOfOneThread(threads: Int) throws {
        var merged = try Self.manySeries(seed: 11)
        merged.merge(try Self.manySeries(seed: 12))
        #expect(merged.serialized(threads: threads) == merged.serialized())
        #expect(try StatisticsAccumulator(serialized: merged.serialized(threads: threads)) == merged)
        #expect(try Self.accumulator(chunks: 0..<Self.chunkCount).serialized(threads: threads) == Self.reference)
        let empty = try StatisticsAccumulator(layout: HistogramLayout(ranges: []))
        #expect(empty.serialized(threads: threads) == empty.serialized())
        // A count past 2³² in a middle series: every run then reads its bins through the high words.
        let flat = merged.layout.slotOffsets[20] + merged.layout.geometries[20].slot(of: merged.moments[20].minimum)
        merged.binHighWords[flat] = 2
        #expect(merged.serialized(threads: threads) == merged.serialized())
    }

    @Test func binCountsBeyond32BitsCarryExactly() throws {
        // Pretend 2³² − 1 values of 2.0 were seen already, then add one more: the bin must carry.
        var accumulator = try singleSeries([2.0], range: SeriesRange(lower: 1, upper: 4))
        let flat = accumulator.layout.slotOffsets[0] + accumulator.layout.geometries[0].slot(of: 2.0)
        accumulator.bins[flat] = UInt32.max
        accumulator.moments[0].count = UInt64(UInt32.max)
        accumulator.add(series: TrackedSeriesIndex(0), values: [2.0].withUnsafeBufferPointer { $0 })
        #expect(accumulator.count(series: TrackedSeriesIndex(0)) == 1 << 32)
        #expect(accumulator.binCount(flatIndex: flat) == 1 << 32)

        var doubled = accumulator
        doubled.merge(accumulator)
        #expect(doubled.binCount(flatIndex: flat) == 1 << 33)
        let median = doubled.quantile(series: TrackedSeriesIndex(0), probability: 0.5)
        #expect(median.isWithinResolution && relativeError(median.value, 2) <= 0x1p-10)

        let restored = try StatisticsAccumulator(serialized: doubled.serialized())
        #expect(restored == doubled)
        #expect(restored.serialized() == doubled.serialized())
        #expect(doubled.serialized(threads: 3) == doubled.serialized())
    }
}

@Suite struct BinCountsTests {
    @Test func aCopyChangesApartFromItsOriginal() throws {
        var original = try BinCounts(zeros: 5000)
        original[4321] = 7
        var copy = original
        copy[4321] += 1
        copy[0] = 2
        #expect(original[4321] == 7 && original[0] == 0)
        #expect(copy[4321] == 8 && copy[0] == 2)
        #expect(copy != original)
        copy[4321] = 7
        copy[0] = 0
        #expect(copy == original)
    }

    @Test func newCountsAreZeroAndAnEmptyLayoutWorks() throws {
        let counts = try BinCounts(zeros: 100_000)
        #expect(counts.withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 } })
        #expect(try BinCounts(zeros: 0) == BinCounts(zeros: 0))
        #expect(try BinCounts(zeros: 0).count == 0)
    }

    /// Bins the system refuses are a thrown error naming the bytes, not a trap: 2^62 bytes lie beyond
    /// any x86-64 or arm64 address space, so the mapping fails whatever the limits and overcommit
    /// policy (a run's memory check would never ask for them; `ulimit -v` refusals take the same path).
    @Test func refusedBinsAreAnError() throws {
        let error = #expect(throws: BinAllocationError(byteCount: 1 << 62)) { try BinCounts(zeros: 1 << 60) }
        #expect(error?.description == "the system refused 4398046511104 MiB (4611686018427387904 bytes) of memory for histogram bins or staged slots")
        // A part MiB counts as one.
        #expect(throws: BinAllocationError(byteCount: (1 << 62) + 4)) { try BinCounts(zeros: (1 << 60) + 1) }
        #expect("\(BinAllocationError(byteCount: (1 << 62) + 4))".contains("4398046511105 MiB"))
        // Growing a count past what is mapped asks the system again (with room for an eighth more
        // bins), and throws the same way, naming what it asked for.
        var counts = try BinCounts(zeros: 10)
        #expect(throws: BinAllocationError(byteCount: (1 << 62) + (1 << 59))) { try counts.reset(zeros: 1 << 60) { _ in } }
        #expect(counts.count == 10)
    }
}
