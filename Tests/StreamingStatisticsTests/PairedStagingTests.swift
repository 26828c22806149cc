import Testing
@testable import StreamingStatistics

/// A paired comparison's differences and ratios, made while staging (`append(series:differencesOf:minus:)`,
/// `append(series:ratiosOf:to:)`), must stage as the same values computed and stored first.
@Suite struct PairedStagingTests {
    static let blockSize = 97
    static let chunkSize = 3 * blockSize + 20

    /// Series 0, 2 and 3 take differences: straddling zero, negative only (the differences fall on
    /// both sides of it, into underflow and overflow), and the range of a difference that is always
    /// zero; series 1 and 4 take ratios: positive only and straddling zero.
    static let ranges = [SeriesRange(lower: -4, upper: 4), SeriesRange(lower: 0.5, upper: 2), SeriesRange(lower: -3, upper: -0.5),
                         SeriesRange(lower: 0, upper: 0), SeriesRange(lower: -4, upper: 4)]
    static let takesRatios = [false, true, false, false, true]

    /// A, and B as A plus: nothing (a zero difference, a ratio of one), a difference near zero
    /// (the near-zero slot), a large one (overflow), a normal one of either sign; a few NaNs in B,
    /// a zero pair (0 / 0) and a negative A.
    static let pairs: (a: [Double], b: [Double]) = {
        var random = TestRandom(state: 29)
        let count = 4 * chunkSize + 45
        var a = random.values(count) { 1 + $0.uniform() }
        var b = a.map { x -> Double in
            let u = random.uniform()
            if u < 0.2 { return x }
            if u < 0.25 { return x + 1e-9 * random.normal() }
            if u < 0.27 { return x * 50 }
            if u < 0.275 { return .nan }
            return x + random.normal()
        }
        a[10] = 0
        b[10] = 0
        a[chunkSize + 7] = -1.5
        return (a, b)
    }()

    /// Per pair, whether it is left out: none in the first chunk, a few in the others.
    static let leftOut: [Bool] = {
        var random = TestRandom(state: 3)
        return pairs.a.indices.map { $0 >= chunkSize && random.uniform() < 0.05 }
    }()

    static func value(series: Int, _ i: Int) -> Double {
        takesRatios[series] ? pairs.b[i] / pairs.a[i] : pairs.b[i] - pairs.a[i]
    }

    static func blocks(of chunk: Range<Int>) -> [Range<Int>] {
        stride(from: chunk.lowerBound, to: chunk.upperBound, by: blockSize).map { $0..<min($0 + blockSize, chunk.upperBound) }
    }

    /// `block` in parts of `sizes`, then the rest.
    static func parts(of block: Range<Int>, sizes: [Int]) -> [Range<Int>] {
        var bounds = [block.lowerBound]
        for size in sizes {
            guard bounds.last! + size < block.upperBound else { break }
            bounds.append(bounds.last! + size)
        }
        return zip(bounds, bounds.dropFirst() + [block.upperBound]).map { $0..<$1 }
    }

    static var chunks: [Range<Int>] {
        stride(from: 0, to: pairs.a.count, by: chunkSize).map { $0..<min($0 + chunkSize, pairs.a.count) }
    }

    /// Every block in parts of `partSizes` (then the rest), each series made while staging (`fused`)
    /// or stored first; with `leavingOut`, the pairs of `leftOut` leave every series.
    static func staged(partSizes: [Int], fused: Bool, leavingOut: Bool) throws -> StatisticsAccumulator {
        let layout = HistogramLayout(ranges: ranges)
        var accumulator = try StatisticsAccumulator(layout: layout)
        let staging = try HistogramStaging(layout: layout, capacity: chunkSize)
        for chunk in chunks {
            for block in blocks(of: chunk) {
                for part in parts(of: block, sizes: partSizes) {
                    let flags = Array(leftOut[part])
                    let leaving = leavingOut && flags.contains(true)
                    flags.withUnsafeBufferPointer { flags in
                        let out = leaving ? flags.baseAddress : nil
                        for series in ranges.indices {
                            let index = TrackedSeriesIndex(series)
                            if fused {
                                pairs.a.withUnsafeBufferPointer { a in
                                    pairs.b.withUnsafeBufferPointer { b in
                                        let pa = a.baseAddress! + part.lowerBound, pb = b.baseAddress! + part.lowerBound
                                        if takesRatios[series] {
                                            staging.append(series: index, ratiosOf: SeriesValues(pb), to: SeriesValues(pa), count: part.count, leavingOut: out)
                                        } else {
                                            staging.append(series: index, differencesOf: SeriesValues(pb), minus: SeriesValues(pa), count: part.count, leavingOut: out)
                                        }
                                    }
                                }
                            } else {
                                part.map { value(series: series, $0) }.withUnsafeBufferPointer { staging.append(series: index, values: $0, leavingOut: out) }
                            }
                        }
                        if leaving { staging.countLeftOut(flags.filter { $0 }.count) }
                    }
                }
                accumulator.closeBlocks(staging)
            }
            accumulator.commit(staging)
        }
        return accumulator
    }

    /// Without pairs left out, the fused appends give the state of one `add` call per block of the
    /// stored values (the careful pass for every series not positive-only).
    @Test(arguments: [[Int](), [8], [8, 24, 40]])
    func madeWhileStagingGiveTheBitsOfOneCallPerBlock(partSizes: [Int]) throws {
        var reference = try StatisticsAccumulator(layout: HistogramLayout(ranges: Self.ranges))
        for chunk in Self.chunks {
            for block in Self.blocks(of: chunk) {
                for series in Self.ranges.indices {
                    block.map { Self.value(series: series, $0) }.withUnsafeBufferPointer { reference.add(series: TrackedSeriesIndex(series), values: $0) }
                }
            }
        }
        let staged = try Self.staged(partSizes: partSizes, fused: true, leavingOut: false)
        #expect(staged.serialized() == reference.serialized())
        // The data reach what they are meant to: zeros, both signs, spills and non-finite values.
        let difference = TrackedSeriesIndex(0)
        #expect(staged.minimum(series: difference) < 0 && staged.maximum(series: difference) > 0)
        #expect(abs(staged.quantile(series: difference, probability: 0.45).value) < 1e-6)
        #expect(staged.nonFiniteCount(series: difference) > 0 && staged.nonFiniteCount(series: TrackedSeriesIndex(1)) > 0)
        for series in [0, 1, 2, 3] { #expect(staged.spills[series] != nil, "series \(series) has no spilled values") }
    }

    /// With pairs left out in some parts, the fused appends give the state of the stored values
    /// appended with the same pairs left out.
    @Test(arguments: [[Int](), [8, 24, 40]])
    func madeWhileStagingLeaveOutWhatStoredValuesLeaveOut(partSizes: [Int]) throws {
        let fused = try Self.staged(partSizes: partSizes, fused: true, leavingOut: true)
        let stored = try Self.staged(partSizes: partSizes, fused: false, leavingOut: true)
        #expect(fused.serialized() == stored.serialized())
        let left = UInt64(Self.leftOut.filter { $0 }.count)
        #expect(left > 0 && fused.nonFiniteSamples == left)
        #expect(fused.count(series: TrackedSeriesIndex(0)) < UInt64(Self.pairs.a.count) - left)
    }

    /// Two models' rows with totals left to the staging: each series of a pair of `RowSources` (a row,
    /// sums of two rows with the same or other weights, a sum of three) staged from
    /// `forEachSeries(rows:other:otherRows:…)` as values, differences and ratios gives the state of its
    /// values written out first (`write(series:rows:count:into:)`) and stored.
    @Test func sumsMadeWhileStagingGiveTheBitsOfStoredSums() throws {
        let lanes = 64, rowCount = 3
        var random = TestRandom(state: 41)
        let rowsA = random.values(rowCount * lanes) { 1 + $0.uniform() }
        let rowsB = rowsA.map { $0 + 0.1 * random.normal() }
        func sources(_ weights: [Double]) -> RowSources {
            var sources = RowSources()
            sources.add(series: TrackedSeriesIndex(0), row: 0)
            sources.add(series: TrackedSeriesIndex(1), sumOf: [(0, 1), (lanes, 1)])
            sources.add(series: TrackedSeriesIndex(2), sumOf: [(0, weights[0]), (lanes, weights[1])])
            sources.add(series: TrackedSeriesIndex(3), sumOf: [(0, 1), (lanes, 1), (2 * lanes, 1)])
            return sources
        }
        let sourcesA = sources([0.3, 0.7]), sourcesB = sources([0.4, 0.6])
        let layout = HistogramLayout(ranges: [SeriesRange(lower: 0.5, upper: 3), SeriesRange(lower: 1, upper: 8), SeriesRange(lower: 0.5, upper: 3),
                                              SeriesRange(lower: 1, upper: 8)])
        let differenceLayout = HistogramLayout(ranges: layout.ranges.map { _ in SeriesRange(lower: -2, upper: 2) })
        func accumulate(fused: Bool) throws -> [StatisticsAccumulator] {
            var accumulators = try [layout, differenceLayout, layout].map { try StatisticsAccumulator(layout: $0) }
            let stagings = try accumulators.map { try HistogramStaging(layout: $0.layout, capacity: lanes) }
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * lanes)
            defer { scratch.deallocate() }
            rowsA.withUnsafeBufferPointer { a in
                rowsB.withUnsafeBufferPointer { b in
                    if fused {
                        sourcesA.forEachSeries(rows: a.baseAddress!, other: sourcesB, otherRows: b.baseAddress!, count: lanes,
                                               scratch: scratch, otherScratch: scratch + lanes) { t, va, vb in
                            stagings[0].append(series: t, values: vb, count: lanes)
                            stagings[1].append(series: t, differencesOf: vb, minus: va, count: lanes)
                            stagings[2].append(series: t, ratiosOf: vb, to: va, count: lanes)
                        }
                    } else {
                        for t in layout.seriesIndices {
                            let va = scratch + 2 * lanes, vb = scratch + 3 * lanes
                            sourcesA.write(series: t, rows: a.baseAddress!, count: lanes, into: va)
                            sourcesB.write(series: t, rows: b.baseAddress!, count: lanes, into: vb)
                            stagings[0].append(series: t, values: UnsafeBufferPointer(start: vb, count: lanes))
                            let differences = (0..<lanes).map { vb[$0] - va[$0] }, ratios = (0..<lanes).map { vb[$0] / va[$0] }
                            differences.withUnsafeBufferPointer { stagings[1].append(series: t, values: $0) }
                            ratios.withUnsafeBufferPointer { stagings[2].append(series: t, values: $0) }
                        }
                    }
                }
            }
            for k in accumulators.indices { accumulators[k].commit(stagings[k]) }
            return accumulators
        }
        let fused = try accumulate(fused: true), stored = try accumulate(fused: false)
        for k in fused.indices { #expect(fused[k].serialized() == stored[k].serialized(), "band \(k)") }
        // Other weights give other totals: series 2's difference is not B's rows' difference alone.
        #expect(fused[1].mean(series: TrackedSeriesIndex(2)) != fused[1].mean(series: TrackedSeriesIndex(0)))
    }

    /// `append(series:differencesOf:minus:…marking:)` flags each pair whose difference is not finite:
    /// a NaN or infinity on either side, or two finite values whose difference overflows; and says so.
    @Test func differencesMarkTheirNonFinitePairs() throws {
        let count = 16
        var a = (0..<count).map { 1 + Double($0) }, b = a.map { $0 + 0.5 }
        a[3] = .nan
        b[5] = .infinity
        (a[6], b[6]) = (-1e308, 1e308)
        (a[9], b[9]) = (.infinity, .infinity)
        let staging = try HistogramStaging(layout: HistogramLayout(ranges: [SeriesRange(lower: 0.25, upper: 1)]), capacity: 2 * count)
        var flags = [Bool](repeating: false, count: count)
        let marked = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                flags.withUnsafeMutableBufferPointer {
                    staging.append(series: TrackedSeriesIndex(0), differencesOf: SeriesValues(pb.baseAddress!), minus: SeriesValues(pa.baseAddress!),
                                   count: count, marking: $0.baseAddress!)
                }
            }
        }
        #expect(marked && flags == (0..<count).map { [3, 5, 6, 9].contains($0) })
        var finite = [Bool](repeating: false, count: count)
        let none = b.withUnsafeBufferPointer { pb in
            finite.withUnsafeMutableBufferPointer {
                staging.append(series: TrackedSeriesIndex(0), differencesOf: SeriesValues(pb.baseAddress!), minus: SeriesValues(pb.baseAddress!),
                               count: 4, marking: $0.baseAddress!)
            }
        }
        #expect(!none && !finite.contains(true))
    }
}
