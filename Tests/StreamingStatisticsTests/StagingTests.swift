import Testing
@testable import StreamingStatistics

/// Staging must not change a bit: blocks appended in parts, folded by `closeBlocks` and counted by
/// `commit` give the state of one `add` call per block.
@Suite struct StagingTests {
    static let blockSize = 97
    static let chunkSize = 3 * blockSize + 20

    /// Positive series take the fast pass; the others, and blocks with a NaN or overflowing squares,
    /// the careful one, possibly after fast parts. The last is positive-only with values on and
    /// beyond every edge of its slots, for the fast pass's clamp.
    static let ranges = [SeriesRange(lower: 0.2, upper: 30), SeriesRange(lower: -4, upper: 4), SeriesRange(lower: 0, upper: 0),
                         SeriesRange(lower: 1, upper: 2), SeriesRange(lower: 1, upper: 2), SeriesRange(lower: 1, upper: 100)]

    static let data: [[Double]] = {
        var random = TestRandom(state: 17)
        let count = 8 * chunkSize + 45
        let lognormal = random.values(count) { $0.lognormal(sigma: 1.2) }
        let straddling = random.values(count) { random in
            let u = random.uniform()
            return u < 0.01 ? -0.0 : (u < 0.02 ? 0.0 : (u < 0.025 ? .nan : random.normal()))
        }
        let zeros = random.values(count) { $0.uniform() < 0.5 ? 0.0 : -0.0 }
        var positiveWithNaN = random.values(count) { 1 + $0.uniform() }
        positiveWithNaN[blockSize + 50] = .nan
        positiveWithNaN[chunkSize + 3] = -.infinity
        var overflowing = random.values(count) { 1 + $0.uniform() }
        overflowing[2 * blockSize + 60] = 1e300
        let geometry = SeriesGeometry(range: ranges[5])
        let edges = [-5, -0.0, 0, .leastNonzeroMagnitude, .leastNormalMagnitude / 4, .leastNormalMagnitude, 0.1, geometry.positiveFloor,
                     geometry.positiveFloor.nextDown, geometry.positiveFloor.nextUp, geometry.positiveCeiling,
                     geometry.positiveCeiling.nextDown, 1e6, 1e150, -1e150]
        let edgy = random.values(count) { random in
            random.uniform() < 0.3 ? edges[Int(random.uniform() * Double(edges.count))] : 1 + 99 * random.uniform()
        }
        return [lognormal, straddling, zeros, positiveWithNaN, overflowing, edgy]
    }()

    static func blocks(of chunk: Range<Int>) -> [Range<Int>] {
        stride(from: chunk.lowerBound, to: chunk.upperBound, by: blockSize).map { $0..<min($0 + blockSize, chunk.upperBound) }
    }

    static var chunks: [Range<Int>] {
        stride(from: 0, to: data[0].count, by: chunkSize).map { $0..<min($0 + chunkSize, data[0].count) }
    }

    /// The reference as a batched staging has it: also counting the samples (indices) with a
    /// non-finite value in any series, which only rows tell.
    static func batchedReference(_ series: [[Double]] = data) throws -> StatisticsAccumulator {
        var accumulator = try reference(series)
        accumulator.nonFiniteSamples = UInt64(series[0].indices.filter { i in series.contains { !$0[i].isFinite } }.count)
        return accumulator
    }

    static func reference(_ series: [[Double]] = data) throws -> StatisticsAccumulator {
        var accumulator = try StatisticsAccumulator(layout: HistogramLayout(ranges: ranges))
        for chunk in chunks {
            for block in blocks(of: chunk) {
                for (series, values) in series.enumerated() {
                    values[block].withUnsafeBufferPointer { accumulator.add(series: TrackedSeriesIndex(series), values: $0) }
                }
            }
        }
        return accumulator
    }

    /// Every block in parts of `partSizes` (then the rest), every series part by part as an engine
    /// would, or all series of a part in one call when `batched`: from their rows, in reverse order,
    /// or, given `sums`, series `s` as the weighted sum of the data rows `sums[s]`. Room for
    /// `capacity` values per series.
    static func staged(partSizes: [Int], batched: Bool = false, sums: [[(row: Int, weight: Double)]]? = nil,
                       capacity: Int = chunkSize) throws -> StatisticsAccumulator {
        let layout = HistogramLayout(ranges: ranges)
        var accumulator = try StatisticsAccumulator(layout: layout)
        let staging = try HistogramStaging(layout: layout, capacity: capacity)
        for chunk in chunks {
            for block in blocks(of: chunk) {
                var start = block.lowerBound
                for size in partSizes + [block.count] where start < block.upperBound {
                    let part = start..<min(start + size, block.upperBound)
                    if batched {
                        let rows = data.flatMap { $0[part] }
                        var sources = RowSources()
                        for series in data.indices.reversed() {
                            if let terms = sums?[series] {
                                sources.add(series: TrackedSeriesIndex(series), sumOf: terms.map { ($0.row * part.count, $0.weight) })
                            } else {
                                sources.add(series: TrackedSeriesIndex(series), row: series * part.count)
                            }
                        }
                        rows.withUnsafeBufferPointer { staging.append(rows: $0.baseAddress!, sources: sources, count: part.count) }
                    } else {
                        for (series, values) in data.enumerated() {
                            values[part].withUnsafeBufferPointer { staging.append(series: TrackedSeriesIndex(series), values: $0) }
                        }
                    }
                    start = part.upperBound
                }
                accumulator.closeBlocks(staging)
            }
            accumulator.commit(staging)
        }
        return accumulator
    }

    @Test(arguments: [[Int](), [8], [8, 24, 40], [32, 32, 32]])
    func partsGiveTheBitsOfOneCallPerBlock(partSizes: [Int]) throws {
        let reference = try Self.reference()
        let staged = try Self.staged(partSizes: partSizes)
        #expect(staged.serialized() == reference.serialized())
        #expect(staged.nonFiniteCount(series: TrackedSeriesIndex(3)) == 2)
        #expect(staged.momentsSaturated(series: TrackedSeriesIndex(4)))
        #expect(staged.mean(series: TrackedSeriesIndex(4)).isFinite && staged.standardDeviation(series: TrackedSeriesIndex(4)).isNaN)
        #expect(try Self.staged(partSizes: partSizes, batched: true).serialized() == Self.batchedReference().serialized())
        // Samples, not values: more than in the worst series here, as two series have them.
        #expect(try Self.batchedReference().nonFiniteSamples > (0..<6).map { reference.nonFiniteCount(series: TrackedSeriesIndex($0)) }.max()!)
    }

    /// Slots of 2 MiB and more lie on huge pages (2 MiB-aligned), and every series' slots start
    /// 16-byte aligned, so the groups of eight of each first block go past the caches (later blocks
    /// start where an odd-sized block ended); with `chunkSize` most series' slots start unaligned and
    /// are stored through the caches. Either way the same bits.
    @Test func slotsOnHugePagesAndAlignedGiveTheSameBits() throws {
        let capacity = 1 << 18
        let staging = try HistogramStaging(layout: HistogramLayout(ranges: Self.ranges), capacity: capacity)
        #expect(UInt(bitPattern: staging.slots) % (1 << 21) == 0)
        #expect(capacity * 2 % 16 == 0 && Self.chunkSize * 2 % 16 != 0)
        #expect(try Self.staged(partSizes: [8, 24, 40], capacity: capacity).serialized() == Self.reference().serialized())
        #expect(try Self.staged(partSizes: [32], batched: true, capacity: capacity).serialized() == Self.batchedReference().serialized())
    }

    /// A commit counts a series whose bins could pass 2³² through the wide counts and the others,
    /// before and after it, through their prefetched bins: every bin as if each block were added.
    @Test func aSeriesNearTheBinLimitIsCountedBesideTheOthers() throws {
        let layout = HistogramLayout(ranges: Self.ranges)
        var staged = try StatisticsAccumulator(layout: layout), reference = staged
        // 2³² − 1 earlier values of series 3, all in the bin of its first value here: that bin must carry.
        let flat = layout.slotOffsets[3] + layout.geometries[3].slot(of: Self.data[3][0])
        func prime(_ accumulator: inout StatisticsAccumulator) {
            accumulator.bins[flat] = UInt32.max
            accumulator.moments[3].count = UInt64(UInt32.max)
        }
        prime(&staged)
        prime(&reference)
        let staging = try HistogramStaging(layout: layout, capacity: Self.chunkSize)
        for chunk in Self.chunks.prefix(2) {
            for block in Self.blocks(of: chunk) {
                for (series, values) in Self.data.enumerated() {
                    values[block].withUnsafeBufferPointer {
                        staging.append(series: TrackedSeriesIndex(series), values: $0)
                        reference.add(series: TrackedSeriesIndex(series), values: $0)
                    }
                }
                staged.closeBlocks(staging)
            }
            staged.commit(staging)
        }
        #expect(staged.serialized() == reference.serialized())
        #expect(staged.binCount(flatIndex: flat) > UInt64(UInt32.max))
    }

    /// A block whose rows hold a sample with a non-finite value, staged again after
    /// `discardOpenBlocks`, leaves that sample out of every series: counts, histograms and extremes
    /// as if the sample had never been drawn, and its non-finite values counted in their own series
    /// only. The data have NaN in one series only (series 1, 3) and -inf in one (series 3).
    @Test(arguments: [[Int](), [8, 24, 40]])
    func restagedBlocksLeaveNonFiniteSamplesOutOfEverySeries(partSizes: [Int]) throws {
        let layout = HistogramLayout(ranges: Self.ranges)
        var accumulator = try StatisticsAccumulator(layout: layout)
        let staging = try HistogramStaging(layout: layout, capacity: Self.chunkSize)
        var sources = RowSources()
        for series in Self.data.indices { sources.add(series: TrackedSeriesIndex(series), row: series * StagingTests.blockSize) }
        var restaged = 0
        for chunk in Self.chunks {
            for block in Self.blocks(of: chunk) {
                func stageBlock() {
                    var start = block.lowerBound
                    for size in partSizes + [block.count] where start < block.upperBound {
                        let part = start..<min(start + size, block.upperBound)
                        var rows = [Double](repeating: 0, count: Self.data.count * StagingTests.blockSize)
                        for (series, values) in Self.data.enumerated() {
                            for i in part { rows[series * StagingTests.blockSize + i - part.lowerBound] = values[i] }
                        }
                        rows.withUnsafeBufferPointer { staging.append(rows: $0.baseAddress!, sources: sources, count: part.count) }
                        start = part.upperBound
                    }
                }
                stageBlock()
                if staging.needsRestaging {
                    staging.discardOpenBlocks()
                    stageBlock()
                    #expect(!staging.needsRestaging)
                    restaged += 1
                }
                accumulator.closeBlocks(staging)
            }
            accumulator.commit(staging)
        }
        let samples = Self.data[0].indices
        let leftOut = Set(samples.filter { i in Self.data.contains { !$0[i].isFinite } })
        let kept = Self.data.map { values in samples.filter { !leftOut.contains($0) }.map { values[$0] } }
        #expect(restaged > 0 && restaged <= leftOut.count)
        #expect(accumulator.nonFiniteSamples == UInt64(leftOut.count))
        var reference = try StatisticsAccumulator(layout: layout)
        for (series, values) in kept.enumerated() { values.withUnsafeBufferPointer { reference.add(series: TrackedSeriesIndex(series), values: $0) } }
        for series in Self.data.indices {
            #expect(accumulator.count(series: TrackedSeriesIndex(series)) == UInt64(kept[series].count))
            #expect(accumulator.nonFiniteCount(series: TrackedSeriesIndex(series)) == UInt64(Self.data[series].filter { !$0.isFinite }.count))
            #expect(accumulator.minimum(series: TrackedSeriesIndex(series)) == reference.minimum(series: TrackedSeriesIndex(series)))
            #expect(accumulator.maximum(series: TrackedSeriesIndex(series)) == reference.maximum(series: TrackedSeriesIndex(series)))
            let probabilities = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
            #expect(accumulator.quantiles(series: TrackedSeriesIndex(series), probabilities: probabilities).map(\.value)
                    == reference.quantiles(series: TrackedSeriesIndex(series), probabilities: probabilities).map(\.value))
            let mean = accumulator.mean(series: TrackedSeriesIndex(series)), expected = reference.mean(series: TrackedSeriesIndex(series))
            #expect(mean == expected || abs(mean - expected) <= 1e-12 * abs(expected))
        }
        // Parts do not change a bit, nor does a copy through the serialized form.
        if !partSizes.isEmpty {
            #expect(try accumulator.serialized() == Self.restagedWithoutParts().serialized())
        }
    }

    /// The state of `restagedBlocksLeaveNonFiniteSamplesOutOfEverySeries` with whole blocks.
    static func restagedWithoutParts() throws -> StatisticsAccumulator {
        let layout = HistogramLayout(ranges: ranges)
        var accumulator = try StatisticsAccumulator(layout: layout)
        let staging = try HistogramStaging(layout: layout, capacity: chunkSize)
        var sources = RowSources()
        for series in data.indices { sources.add(series: TrackedSeriesIndex(series), row: series * blockSize) }
        for chunk in chunks {
            for block in blocks(of: chunk) {
                let rows = data.flatMap { Array($0[block]) + [Double](repeating: 0, count: blockSize - block.count) }
                for pass in 0..<2 {
                    if pass == 1 {
                        guard staging.needsRestaging else { break }
                        staging.discardOpenBlocks()
                    }
                    rows.withUnsafeBufferPointer { staging.append(rows: $0.baseAddress!, sources: sources, count: block.count) }
                }
                accumulator.closeBlocks(staging)
            }
            accumulator.commit(staging)
        }
        return accumulator
    }

    /// Series summed while staging get the statistics of their sums added up beforehand, one fused
    /// multiply-add per term from zero: two terms (summed in registers by the fast pass), three, none,
    /// and sums that take the careful pass (a range straddling zero, a NaN among the terms).
    @Test(arguments: [[Int](), [8, 24, 40]])
    func sumsStageAsTheirValues(partSizes: [Int]) throws {
        let sums: [[(row: Int, weight: Double)]] = [
            [(0, 0.75), (5, 0.25)], [(1, 1), (0, 0.5)], [], [(3, 1), (4, 1)], [(0, 0.25), (5, 0.25), (4, 1)], [(5, 1), (0, 1e-3)]]
        let summed = sums.map { terms in
            Self.data[0].indices.map { i in terms.reduce(0.0) { $0.addingProduct($1.weight, Self.data[$1.row][i]) } }
        }
        #expect(try Self.staged(partSizes: partSizes, batched: true, sums: sums).serialized() == Self.batchedReference(summed).serialized())
    }

    /// The statistics cannot see a sum's last bits, so its values are checked directly: the fast
    /// pass's two-term sums, four at a time and one by one, and the stored sums of any length, are
    /// the chain of fused multiply-adds from zero, term by term in order.
    @Test func sumsHaveTheBitsOfTheirChain() {
        let count = 203
        let rows = Array(Self.data[0].prefix(count) + Self.data[5].prefix(count) + Self.data[3].prefix(count))
        let terms: [[(row: Int, weight: Double)]] = [[(0, 0.3), (count, 1.7)], [(count, 0.3), (0, 1.7)], [(2 * count, 0.1), (0, 0.7), (count, 1.3)]]
        var sources = RowSources()
        for (series, sum) in terms.enumerated() { sources.add(series: TrackedSeriesIndex(series), sumOf: sum) }
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { scratch.deallocate() }
        rows.withUnsafeBufferPointer { rows in
            let base = rows.baseAddress!
            for (series, sum) in terms.enumerated() {
                let chain = (0..<count).map { i in sum.reduce(0.0) { $0.addingProduct($1.weight, base[$1.row + i]) } }
                sources.write(series: TrackedSeriesIndex(series), rows: base, count: count, into: scratch)
                #expect((0..<count).allSatisfy { scratch[$0].bitPattern == chain[$0].bitPattern || (scratch[$0].isNaN && chain[$0].isNaN) })
                guard let pair = sources.pairSum(sources.entries[series], rows: base) else {
                    #expect(sum.count != 2)
                    continue
                }
                for i in stride(from: 0, to: count - 3, by: 4) {
                    let lanes = pair.lanes(at: i)
                    #expect((0..<4).allSatisfy { lanes[$0].bitPattern == chain[i + $0].bitPattern || lanes[$0].isNaN })
                }
                #expect((0..<count).allSatisfy { pair.value(at: $0).bitPattern == chain[$0].bitPattern || chain[$0].isNaN })
            }
        }
    }

    /// The careful pass, four lanes at a time, has the bits of its lane order taken value by value:
    /// groups of eight to sum lanes 0–7, a group of four to lanes 0–3, the rest to lane 0; the
    /// extremes in lane `sum lane % 4`.
    @Test func carefulPassHasTheBitsOfValueByValue() {
        for (series, data) in Self.data.enumerated() {
            let shift = SeriesGeometry(range: Self.ranges[series]).shift
            for count in [0, 3, 4, 7, 8, 13, 100, Self.chunkSize] {
                let values = Array(data[0..<count])
                var lanes = SummaryLanes()
                values.withUnsafeBufferPointer { lanes.add($0, shift: shift) }
                let summary = lanes.summary
                var sums = [Double](repeating: 0, count: 8), squares = sums
                var lows = [Double](repeating: .infinity, count: 4), highs = [Double](repeating: -.infinity, count: 4)
                let grouped = count / 8 * 8 + (count % 8 >= 4 ? 4 : 0)
                for (i, x) in values.enumerated() {
                    let lane = i < grouped ? i % 8 : 0, d = x.isFinite ? x - shift : 0
                    sums[lane] += d
                    squares[lane].addProduct(d, d)
                    if x.isFinite && x < lows[lane % 4] { lows[lane % 4] = x }
                    if x.isFinite && x > highs[lane % 4] { highs[lane % 4] = x }
                }
                let sum = (0..<4).map { sums[$0] + sums[$0 + 4] }, square = (0..<4).map { squares[$0] + squares[$0 + 4] }
                #expect(summary.shiftedSum.bitPattern == ((sum[0] + sum[1]) + (sum[2] + sum[3])).bitPattern)
                #expect(summary.shiftedSquareSum.bitPattern == ((square[0] + square[1]) + (square[2] + square[3])).bitPattern)
                #expect(summary.minimum.bitPattern == Double.minimum(Double.minimum(Double.minimum(lows[0], lows[1]), lows[2]), lows[3]).bitPattern)
                #expect(summary.maximum.bitPattern == Double.maximum(Double.maximum(Double.maximum(highs[0], highs[1]), highs[2]), highs[3]).bitPattern)
                #expect(summary.nonFiniteCount == UInt64(values.filter { !$0.isFinite }.count))
                #expect(summary.finiteCount == UInt64(values.filter(\.isFinite).count))
            }
        }
    }

    /// Staged slots are 15 bits: every range a geometry can be built from fits.
    @Test func everyGeometryFitsTheStagedSlots() {
        let extremes = [SeriesRange(lower: -.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude),
                        SeriesRange(lower: .leastNonzeroMagnitude, upper: .greatestFiniteMagnitude),
                        SeriesRange(lower: -1e300, upper: -1e-300), SeriesRange(lower: -1, upper: 1e-300),
                        SeriesRange(lower: 0, upper: 0), SeriesRange(lower: .leastNormalMagnitude / 64, upper: 1e-300)]
        for range in extremes {
            #expect(SeriesGeometry(range: range).slotCount <= HistogramStaging.maximumSlotCount, "\(range)")
        }
    }

    /// Staged slots the system cannot give (or that no size can hold) are an error, not a trap: many
    /// workers made side by side under an address-space limit.
    @Test func stagingTheSystemRefusesIsAnError() {
        let layout = HistogramLayout(ranges: [SeriesRange(lower: 1, upper: 2), SeriesRange(lower: 3, upper: 4)])
        #expect(throws: BinAllocationError(byteCount: 1 << 62)) { try HistogramStaging(layout: layout, capacity: 1 << 60) }
        #expect(throws: BinAllocationError(byteCount: .max)) { try HistogramStaging(layout: layout, capacity: .max / 2) }
    }

    /// Values far outside the range make fixed-point sums beyond 2^63, which fold exactly.
    @Test func largeFixedPointSumsFoldExactly() throws {
        let values = [Double](repeating: 3e6, count: 500) + [Double](repeating: 1e6, count: 500)
        let accumulator = try singleSeries(values, range: SeriesRange(lower: 0, upper: 1), chunkSize: 100)
        #expect(!accumulator.momentsSaturated(series: TrackedSeriesIndex(0)))
        #expect(accumulator.mean(series: TrackedSeriesIndex(0)) == 2e6)
        #expect(relativeError(accumulator.standardDeviation(series: TrackedSeriesIndex(0)), 1e6 * (1000.0 / 999).squareRoot()) < 1e-12)
    }
}
