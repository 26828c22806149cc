import LinearAlgebra
import ParallelRunner
import RandomStreams
import RoadmapModel
import Sampling
import Scenario
import StreamingStatistics

/// Two scenarios sampled together: an input both declare under the same name gets the same draw
/// in the same sample (common random numbers), so B − A is computed sample by sample and its band
/// reflects the scenarios' difference, not sampling noise.
public struct PairedComparison: Sendable {
    public let a: MonteCarloStudy
    public let b: MonteCarloStudy
    /// Sampler dimensions: A's inputs, then B's inputs that A lacks.
    public let names: [String]
    let dimensionsA: [Int]
    let dimensionsB: [Int]
    /// A's sampler, and B's: the same one when paired, another seed when independent.
    let samplers: [UniformSampler]
    /// Statistics of A, B, B − A and B / A for each tracked series (A's tracking, shared by B).
    public internal(set) var layouts: [HistogramLayout]
    /// What each worker of `run` may hold in counts of spilled values (`SpillBudget`); nil when no
    /// memory limit is known.
    private(set) var spillBytesPerWorker: Int? = nil

    public enum Band: Int, CaseIterable, Sendable { case a, b, difference, ratio }

    /// - Parameter independent: draw B from another seed instead (for showing what pairing buys).
    public init(a setupA: ModelSetup, b setupB: ModelSetup, settings: StudySettings, independent: Bool = false) throws {
        try Self.checkComparable(setupA, setupB)
        var independentSettings = settings
        if independent { independentSettings.seed = settings.seed &+ 0x9E37_79B9_7F4A_7C15 }
        let settingsB = independentSettings
        // Differences and ratios of values are not those of sales, whatever the prices: track them.
        // A's and B's studies (each with its pilot) are made side by side; A's error first. Their
        // memory is checked below, with all four bands, once: checked each on its own thread, under
        // an address-space limit, one saw what the other had mapped so far, or not.
        let studies = parallelMap(0..<2, threads: setUpThreads(settings.threads)) { i in
            Result { try MonteCarloStudy(setup: i == 0 ? setupA : setupB, settings: i == 0 ? settings : settingsB, scalingValues: false, checkingMemory: false) }
        }
        a = try studies[0].get()
        b = try studies[1].get()
        let namesA = a.mapping.names
        let names = namesA + b.mapping.names.filter { !namesA.contains($0) }
        self.names = names
        dimensionsA = namesA.map { names.firstIndex(of: $0)! }
        dimensionsB = b.mapping.names.map { names.firstIndex(of: $0)! }
        samplers = try [settings.seed, settingsB.seed].map { seed throws(StudyError) in
            try settings.sampler(seed: seed, dimensionKeys: names.map { streamKey($0) })
        }
        let headline = Set(a.headlineIndices.map(\.position)), total = SeriesKey(market: Names.total, metric: .reduction)
        let tracked = a.tracked
        marginal = tracked.indices.map { headline.contains($0) || tracked[$0].key == total }
        // The pilot evaluates the pairs, so it needs the comparison it lays out.
        layouts = []
        // A target on a segment is counted on its market's pairs times the segment's share: right only
        // where that is what B - A of the segment is, as for difference.csv's segment rows.
        let catalog = a.setup.catalog
        for target in a.targets {
            let key = target.condition.key
            guard let series = catalog.reported.first(where: { $0.key == key }), let y = catalog.years.firstIndex(of: target.condition.year),
                  segmentScale(of: series, year: y, ratio: false) == nil else { continue }
            throw StudyError(.target, "'\(target.condition.text)': the scenarios share \(key.market)'s \(key.metric.rawValue) out into segments "
                                 + "differently in \(target.condition.year), so B - A of \(key.segment) is no multiple of the market's; "
                                 + "give a target on \(key.market) (difference.csv leaves out its segment rows too)")
        }
        layouts = pilotLayouts()
        try checkMemory(available: usableMemoryBytes())
    }

    /// Bytes one worker holds: the bins and staged slots of each band.
    var bytesPerWorker: Int {
        layouts.reduce(0) { $0 + $1.binByteCount + HistogramStaging.slotByteCount(layout: $1, capacity: MonteCarloStudy.stagingCapacity) }
    }

    /// Throws when the workers and the merged copy of every band need more than `available` bytes;
    /// sets what each may hold in counts of spilled values.
    mutating func checkMemory(available: Int?) throws(MemoryShortage) {
        spillBytesPerWorker = try MemoryShortage.check(bytesPerWorker: bytesPerWorker, workers: min(a.settings.threads, a.plan.chunkCount),
                                                       mergedBytes: layouts.reduce(0) { $0 + $1.binByteCount }, available: available)
    }

    /// The tracked series whose A and B statistics are kept: what the headline and the chart read,
    /// the total's reduction in every year and each market's in the horizon year. A's and B's other
    /// series stay empty; the difference and ratio have every series.
    let marginal: [Bool]

    /// Same years and the same markets, or the comparison means nothing.
    static func checkComparable(_ a: ModelSetup, _ b: ModelSetup) throws {
        guard a.catalog.years == b.catalog.years else {
            throw StudyError(.comparedScenarios, "the scenarios cover different years (\(a.catalog.years.first!)-\(a.catalog.years.last!) and \(b.catalog.years.first!)-\(b.catalog.years.last!))")
        }
        guard a.catalog.computed == b.catalog.computed else {
            let missing = Set(a.catalog.computed.map(\.market)).symmetricDifference(b.catalog.computed.map(\.market))
            throw StudyError(.comparedScenarios, "the scenarios have different markets or segments\(missing.isEmpty ? "" : ": \(missing.sorted().joined(separator: ", ")) in only one")")
        }
    }

    /// A's and B's layouts are their studies'; the difference's and ratio's ranges are those of chunk
    /// 0's pairs, as a single study's pilot takes its values' (widened alike). Paired, they are as narrow
    /// as the differences and ratios themselves, not the span of independent extremes: a difference
    /// of one sign stays one-signed (the staging's fast pass) and few fall below its near-zero floor.
    func pilotLayouts() -> [HistogramLayout] {
        let pair = PairedEvaluators(comparison: self)
        let lanes = StudySettings.kernelLanes
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 3 * lanes)
        defer { buffer.deallocate() }
        let valuesA = buffer.baseAddress!, valuesB = valuesA + lanes, values = valuesB + lanes
        var extremes = [Band.difference, .ratio].map { _ in a.tracked.map { _ in (lower: Double.infinity, upper: -Double.infinity) } }
        pair.draw(samples: a.plan.samples(inChunk: 0))
        pair.evaluateChunk { _, n in
            for t in a.layout.seriesIndices {
                // Whole rows, in tight loops: the values the staging makes (`PairDifference`, `PairRatio`).
                pair.write(series: t, count: n, a: valuesA, b: valuesB)
                func widen(_ k: Int) {
                    let found = finiteExtremes(UnsafeBufferPointer(start: values, count: n)), p = t.position
                    extremes[k][p] = (min(extremes[k][p].lower, found.lower), max(extremes[k][p].upper, found.upper))
                }
                for i in 0..<n { values[i] = valuesB[i] - valuesA[i] }
                widen(0)
                for i in 0..<n { values[i] = valuesB[i] / valuesA[i] }
                widen(1)
            }
        }
        return [a.layout, HistogramLayout(ranges: b.layout.ranges)]
            + extremes.map { HistogramLayout(ranges: $0.map { widened(lower: $0.lower, upper: $0.upper) }) }
    }

    /// What a market segment's row of B − A (or of B / A, with `ratio`) scales its market's band by in
    /// year `y`; nil where the bands say nothing of it. A segment is its market's series times a fixed
    /// share: B·s_B − A·s_A is a multiple of B − A only where s_B = s_A, and B·s_B / (A·s_A) is
    /// (B / A)·s_B / s_A where B has the segment.
    public func segmentScale(of series: SeriesCatalog.ReportedSeries, year y: Int, ratio: Bool) -> Double? {
        guard let sharesA = series.shares else { return 1 }
        guard let sharesB = b.setup.catalog.reported.first(where: { $0.key == series.key })?.shares else { return nil }
        if ratio { return sharesB[y] / sharesA[y] }
        return sharesA[y] == sharesB[y] ? sharesA[y] : nil
    }

    /// Markets whose segment rows of B − A are left out in some year (`segmentScale`): A and B split them differently.
    public var marketsSplitDifferently: [String] {
        let catalog = a.setup.catalog
        let markets = catalog.reported.filter { series in
            series.shares != nil && catalog.years.indices.contains { segmentScale(of: series, year: $0, ratio: false) == nil }
        }.map(\.key.market)
        return markets.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Runs every chunk; returns the statistics in `Band` order and the counts of `a.targets` on B − A.
    public func run(progress: (Int) -> Void = { _ in }) throws(RunMemoryError) -> (statistics: [StatisticsAccumulator], targets: [TargetCount]) {
        setLAPACKThreadCount(1)
        let chunks = 0..<a.plan.chunkCount
        let comparison = self
        let threads = min(a.settings.threads, max(1, chunks.count))
        var workers = try SpillBudget(bytesPerWorker: spillBytesPerWorker, workers: threads).runChunks(
            chunks, threads: threads, roundSize: max(1, chunks.count), roundDuration: StudySettings.roundDuration,
            makeWorker: { _ throws(BinAllocationError) in try PairedWorker(comparison: comparison) },
            body: { worker, chunk in worker.evaluate(chunk: chunk) },
            bands: { worker in worker.statistics },
            finish: { worker in
                worker.commitStaged()
                // Its slots go on its own thread, side by side with the others', not after the run.
                for staging in worker.stagings { staging.releaseSlots() }
            },
            afterRound: { round, _ in progress(comparison.a.samples(beforeChunk: round.upperBound)) },
            naming: { band, series in comparison.seriesName(band: band, series) })
        var targets = workers[0].targets
        for worker in workers.dropFirst() {
            for k in targets.indices { targets[k].add(worker.targets[k]) }
        }
        var statistics = workers.map(\.statistics)
        // Now the statistics alone hold their bins, so the merge adds into the first worker's in
        // place instead of copying all of them (every page of the difference's two-sided histograms).
        workers.removeAll()
        var result = statistics.removeFirst()
        for other in statistics {
            for band in result.indices { result[band].merge(other[band]) }
        }
        return (result, targets)
    }

    /// A series of one band as `B − A of reduction heating 2060`.
    func seriesName(band: Int, _ series: TrackedSeriesIndex) -> String {
        let name = a.seriesName(series)
        switch Band(rawValue: band) {
        case .a: return "A's \(name)"
        case .b: return "B's \(name)"
        case .difference: return "B − A of \(name)"
        case .ratio, nil: return "B / A of \(name)"
        }
    }

    /// Both scenarios' evaluators, fed one draw: each pair's samples in the same lanes of both kernels.
    struct PairedEvaluators: @unchecked Sendable {
        let comparison: PairedComparison
        /// A's, then B's; their kernels leave the totals to `forEachSeries`, as a run's do.
        let evaluators: [ChunkEvaluator]
        let buffers = ScratchBuffers()
        /// The chunk's uniforms of every sampler dimension (`names`).
        let union: UnsafeMutableBufferPointer<Double>
        /// A batch's sums of more or fewer than two markets, A's and B's.
        let sums: [UnsafeMutableBufferPointer<Double>]

        init(comparison: PairedComparison) {
            self.comparison = comparison
            evaluators = [comparison.a, comparison.b].map {
                ChunkEvaluator(setup: $0.setup, mapping: $0.mapping, written: $0.kernelOutputs, totals: false)
            }
            union = buffers.allocate(comparison.names.count * StudySettings.chunkSize)
            sums = [buffers.allocate(StudySettings.kernelLanes), buffers.allocate(StudySettings.kernelLanes)]
        }

        /// Hands `body` A's and B's values of every tracked series in the last evaluated batch of
        /// `count` pairs: a row of the kernels' outputs, or a total added up as it is read.
        func forEachSeries(count: Int, _ body: (TrackedSeriesIndex, _ a: SeriesValues, _ b: SeriesValues) -> Void) {
            comparison.a.rowSources.forEachSeries(rows: evaluators[0].outputs, other: comparison.b.rowSources, otherRows: evaluators[1].outputs,
                                                  count: count, scratch: sums[0].baseAddress!, otherScratch: sums[1].baseAddress!, body)
        }

        /// Draws `samples` (at most a chunk) for both: A's columns and B's of one draw of every name.
        func draw(samples: Range<Int>) {
            for (s, columns) in [comparison.dimensionsA, comparison.dimensionsB].enumerated() {
                if s == 0 || comparison.samplers[1].seed != comparison.samplers[0].seed {
                    comparison.samplers[s].fill(firstIndex: samples.lowerBound, count: samples.count, into: union)
                }
                evaluators[s].draw(count: samples.count, columns: columns, of: UnsafeBufferPointer(union))
            }
        }

        /// Evaluates the drawn chunk a batch at a time; `body(offset, n)` reads both kernels' outputs
        /// of the pairs `offset..<offset + n` of the chunk (`forEachSeries`).
        func evaluateChunk(_ body: (_ offset: Int, _ count: Int) -> Void) {
            evaluate(0..<evaluators[0].count, body)
        }

        /// `evaluateChunk` of the drawn pairs `range` only.
        func evaluate(_ range: Range<Int>, _ body: (_ offset: Int, _ count: Int) -> Void) {
            let evaluatorA = evaluators[0], evaluatorB = evaluators[1]
            evaluatorA.evaluate(range) { offset, n in
                // The same samples of B, in the same lanes of B's kernel; B's survival is A's where
                // both draw the same lifetimes.
                evaluatorB.evaluate(offset..<(offset + n), survivalOf: evaluatorA) { _, _ in }
                body(offset, n)
            }
        }

        /// A's and B's values of `series` in the last evaluated batch, written to `a` and `b`.
        func write(series: TrackedSeriesIndex, count: Int, a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>) {
            comparison.a.rowSources.write(series: series, rows: evaluators[0].outputs, count: count, into: a)
            comparison.b.rowSources.write(series: series, rows: evaluators[1].outputs, count: count, into: b)
        }
    }

    struct PairedWorker: @unchecked Sendable {
        let comparison: PairedComparison
        let pair: PairedEvaluators
        let buffers = ScratchBuffers()
        /// A batch's values of one target's series in A and B, then their differences.
        let targetValues: [UnsafeMutableBufferPointer<Double>]
        /// Per pair of the block: whether it is left out of every band.
        let leftOut: UnsafeMutableBufferPointer<Bool>
        /// One per band: kernel calls append parts of blocks (see `MonteCarloStudy.Worker`), counted
        /// every `StudySettings.chunksPerCommit` chunks, as a run's.
        let stagings: [HistogramStaging]
        var statistics: [StatisticsAccumulator]
        /// Pairs staged since the last commit.
        var stagedPairs = 0
        /// Counts of A's targets on the difference B − A.
        var targets: [TargetCount]

        init(comparison: PairedComparison) throws(BinAllocationError) {
            self.comparison = comparison
            pair = PairedEvaluators(comparison: comparison)
            targetValues = [buffers.allocate(StudySettings.kernelLanes), buffers.allocate(StudySettings.kernelLanes)]
            leftOut = buffers.allocate(StudySettings.blockSize, of: Bool.self)
            statistics = try comparison.layouts.map { layout throws(BinAllocationError) in try StatisticsAccumulator(layout: layout) }
            targets = comparison.a.targets.map { _ in TargetCount() }
            // A's and B's bands stage their marginal series only.
            stagings = try comparison.layouts.enumerated().map { band, layout throws(BinAllocationError) in
                try HistogramStaging(layout: layout, capacity: MonteCarloStudy.stagingCapacity, onHugePages: band >= Band.difference.rawValue)
            }
        }

        mutating func evaluate(chunk: Int) {
            let samples = comparison.a.plan.samples(inChunk: chunk)
            pair.draw(samples: samples)
            var blockStart = 0
            while blockStart < samples.count {
                let block = blockStart..<min(blockStart + StudySettings.blockSize, samples.count)
                // A pair with a non-finite value in either scenario leaves every band. Its difference
                // is then not finite either (nor is one that overflows), so the difference's staging
                // finds such pairs; the rare block that holds one is evaluated and staged again without them.
                leftOut.update(repeating: false)
                var staged = stage(block, leavingOutMarked: false)
                if staged.marked {
                    for staging in stagings { staging.discardOpenBlocks() }
                    staged = stage(block, leavingOutMarked: true)
                }
                for band in statistics.indices { statistics[band].closeBlocks(stagings[band]) }
                for k in targets.indices { targets[k].add(staged.targets[k]) }
                blockStart = block.upperBound
            }
            // Pairs, not a series' staged values: a series keeps fewer when pairs are left out.
            stagedPairs += samples.count
            if stagedPairs + StudySettings.chunkSize > MonteCarloStudy.stagingCapacity { commitStaged() }
        }

        /// Stages the drawn pairs `block` into every band and returns the targets' counts on their
        /// differences: first (`leavingOutMarked` false) marking in `leftOut` the pairs whose difference
        /// is not finite, and saying whether there are any; then leaving those out.
        func stage(_ block: Range<Int>, leavingOutMarked leaving: Bool) -> (marked: Bool, targets: [TargetCount]) {
            // Out of the loop: each array access in it would retain and release its element.
            let stagingA = stagings[Band.a.rawValue], stagingB = stagings[Band.b.rawValue]
            let stagingDifference = stagings[Band.difference.rawValue], stagingRatio = stagings[Band.ratio.rawValue]
            let targetA = targetValues[0], targetB = targetValues[1]
            let marginal = comparison.marginal, targets = comparison.a.targets
            var marked = false
            var blockTargets = targets.map { _ in TargetCount() }
            pair.evaluate(block) { offset, n in
                let flags = leftOut.baseAddress! + (offset - block.lowerBound)
                let pairsLeftOut = leaving ? (0..<n).reduce(0) { $0 + (flags[$1] ? 1 : 0) } : 0
                let leavingOut = pairsLeftOut > 0 ? UnsafePointer(flags) : nil
                pair.forEachSeries(count: n) { series, va, vb in
                    if marginal[series.position] {
                        stagingA.append(series: series, values: va, count: n, leavingOut: leavingOut)
                        stagingB.append(series: series, values: vb, count: n, leavingOut: leavingOut)
                    }
                    // Made while staging: one read of both outputs, no stored copies.
                    if stagingDifference.append(series: series, differencesOf: vb, minus: va, count: n, leavingOut: leavingOut,
                                                marking: leaving ? nil : flags) {
                        marked = true
                    }
                    stagingRatio.append(series: series, ratiosOf: vb, to: va, count: n, leavingOut: leavingOut)
                }
                for (k, target) in targets.enumerated() {
                    pair.write(series: target.series, count: n, a: targetA.baseAddress!, b: targetB.baseAddress!)
                    // A pair left out of the bands is left out of the count too.
                    for i in 0..<n { targetB[i] = leaving && flags[i] ? .nan : targetB[i] - targetA[i] }
                    blockTargets[k].count(targetB.baseAddress!, count: n, scale: target.scale, condition: target.condition)
                }
                for staging in stagings { staging.countLeftOut(pairsLeftOut) }
            }
            return (marked, blockTargets)
        }

        /// Counts the staged slots into the bins; the statistics are complete only after this.
        mutating func commitStaged() {
            for band in statistics.indices { statistics[band].commit(stagings[band]) }
            stagedPairs = 0
        }
    }
}

extension PairedComparison {
    /// Per market and total: A's and B's median horizon-year reduction and the paired difference's
    /// median and 90 % interval.
    public func headline(_ statistics: [StatisticsAccumulator]) -> [(market: String, a: Double, b: Double, difference: (p5: Double, median: Double, p95: Double))] {
        a.headline.enumerated().map { h, series in
            let t = a.headlineIndices[h]
            let d = statistics[Band.difference.rawValue].quantiles(series: t, probabilities: [0.05, 0.5, 0.95]).map(\.value)
            return (series.key.market, statistics[Band.a.rawValue].quantile(series: t, probability: 0.5).value,
                    statistics[Band.b.rawValue].quantile(series: t, probability: 0.5).value, (d[0], d[1], d[2]))
        }
    }
}
