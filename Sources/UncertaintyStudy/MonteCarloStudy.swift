import Foundation
import LinearAlgebra
import ParallelRunner
import RoadmapModel
import Sampling
import Scenario
import StreamingStatistics

/// A Monte Carlo study of one scenario: samples the uncertain inputs, evaluates the model chunk by
/// chunk on several threads, and streams every tracked series into exactly mergeable statistics.
///
/// Each chunk's draws depend only on (seed, chunk), and the statistics merge exactly, so the result
/// is bit-identical for any thread count and any split of the chunks into shards.
public struct MonteCarloStudy: Sendable {
    public let setup: ModelSetup
    public let settings: StudySettings
    public private(set) var mapping: InputMapping
    public let plan: ChunkPlan
    /// The statistics' series: one per tracked computed series and year.
    public let tracked: [TrackedSeries]
    /// Index into `tracked` by computed series and year.
    let trackedIndex: [SeriesYear: TrackedSeriesIndex]
    /// Markets' value series left untracked because their price is fixed: by computed series, the
    /// market's sales series and the price per year.
    package let scaledValues: [SeriesIndex: (sales: SeriesIndex, prices: [Double])]
    public private(set) var layout: HistogramLayout
    /// Where each tracked series lies in the outputs of a kernel that leaves the totals to the caller.
    let rowSources: RowSources
    /// The horizon-year reduction of every market and the total (those in the focus), tracked at N/4 and N/2 too.
    public let headline: [TrackedSeries]
    package let headlineIndices: [TrackedSeriesIndex]
    package private(set) var headlineLayout: HistogramLayout
    /// Chunk boundaries of the convergence checkpoints (about N/4 and N/2).
    public let convergenceChunks: [Int]
    /// `settings.targets` located in the tracked series, counted per sample.
    public private(set) var targets: [ResolvedTarget] = []
    private(set) var sampler: UniformSampler
    /// What each worker of `run` may hold in counts of spilled values (`SpillBudget`); nil when the
    /// memory was not checked or no limit is known.
    private(set) var spillBytesPerWorker: Int? = nil
    /// What the memory check found the process may use (nil: unknown, or no check).
    private(set) var memoryChecked: Int? = nil

    /// Metrics with bands (`Metric.hasBands`).
    public static let trackedMetrics = Set(Metric.allCases.filter(\.hasBands))
    /// What the Monte Carlo kernels write: the rows the tracked series are read from.
    let kernelOutputs: KernelOutputs

    public struct TrackedSeries: Sendable, Equatable {
        public var computed: SeriesIndex
        public var year: Int
        public var key: SeriesKey
    }

    /// A computed series in one year (by index).
    struct SeriesYear: Hashable {
        var series: SeriesIndex
        var year: Int
    }

    /// - Parameters:
    ///   - pins: slots held at fixed values in every sample (see `InputMapping`).
    ///   - scalingValues: whether a market's value whose unit price does not vary is reported as its
    ///     sales times the price instead of tracked (its bands are then its sales' bands times the
    ///     price, percentiles within the same 0.1 %); false where values are compared sample by sample.
    ///   - checkingMemory: false where the caller checks the memory of what it runs (a comparison's
    ///     four bands), once, instead of each study its own.
    /// - Throws: `StudyError` for a focus naming markets or years the scenario lacks;
    ///   `MemoryShortage` when `settings.threads` workers would need more memory than the process may use
    ///   (`usableMemoryBytes`), unless `checkingMemory` is false.
    public init(setup: ModelSetup, settings: StudySettings, pins: [SlotIndex: Double] = [:], scalingValues: Bool = true,
                checkingMemory: Bool = true) throws {
        try settings.validate()
        try settings.focus.check(setup: setup)
        self.setup = setup
        self.settings = settings
        mapping = try InputMapping(setup: setup, pins: pins)
        sampler = try settings.sampler(dimensionKeys: mapping.dimensionKeys)
        plan = ChunkPlan(sampleCount: settings.samples, chunkSize: StudySettings.chunkSize)
        let catalog = setup.catalog
        let years = catalog.years.count
        var scaledValues: [SeriesIndex: (sales: SeriesIndex, prices: [Double])] = [:]
        if scalingValues {
            for (market, price) in zip(setup.scenario.markets, setup.fixedPrices(varyingSlots: mapping.varyingSlots)) {
                guard let price, let value = catalog.computedIndex(of: SeriesKey(market: market.name, metric: .value)) else { continue }
                scaledValues[value] = (catalog.computedIndex(of: SeriesKey(market: market.name, metric: .sales))!, price)
            }
        }
        self.scaledValues = scaledValues
        // The computed series and years the focused reported series are read from.
        let focus = settings.focus
        var needed = Set<SeriesYear>()
        for series in catalog.reported where Self.trackedMetrics.contains(series.key.metric) && focus.includes(series.key) {
            let source = scaledValues[series.source]?.sales ?? series.source
            for (y, year) in catalog.years.enumerated() where focus.includes(year: year) { needed.insert(SeriesYear(series: source, year: y)) }
        }
        let tracked = catalog.seriesIndices.flatMap { s in
            (0..<years).filter { needed.contains(SeriesYear(series: s, year: $0)) }.map { TrackedSeries(computed: s, year: $0, key: catalog[series: s]) }
        }
        self.tracked = tracked
        trackedIndex = Dictionary(uniqueKeysWithValues: tracked.enumerated().map { (SeriesYear(series: $1.computed, year: $1.year), TrackedSeriesIndex($0)) })
        let last = years - 1
        let headlineKeys = setup.scenario.markets.map(\.name) + [Names.total]
        let headlineIndices = headlineKeys.compactMap { market in
            tracked.firstIndex { $0.key == SeriesKey(market: market, metric: .reduction) && $0.year == last }.map(TrackedSeriesIndex.init)
        }
        self.headlineIndices = headlineIndices
        headline = headlineIndices.map { tracked[$0.position] }
        let chunkCount = plan.chunkCount
        // A focus without the horizon reduction has no headline to check for convergence.
        convergenceChunks = headlineIndices.isEmpty ? [] : [max(1, chunkCount / 4), max(1, chunkCount / 2)]
        kernelOutputs = Self.kernelOutputs(tracked, setup: setup)
        let rowSources = Self.rowSources(tracked, setup: setup, lanes: StudySettings.kernelLanes)
        self.rowSources = rowSources
        // Histogram ranges from a deterministic pilot: chunk 0, the same for every shard.
        (layout, headlineLayout) = Self.layouts(pilot: Self.pilotEvaluator(setup: setup, mapping: mapping, outputs: kernelOutputs),
                                                sampler: sampler, plan: plan, sources: rowSources, headline: headlineIndices)
        let located = self
        targets = try Self.resolve(settings.targets, setup: setup, source: located.trackedSource)
        if checkingMemory { try checkMemory(available: usableMemoryBytes()) }
    }

    /// This study with `pins` in place of its pinned values (on the same slots), as
    /// `init(setup:settings:pins:scalingValues:)` makes it: the parts no pinned value changes (tracked
    /// series, their sources, targets) are this study's, the pilot runs on `pilot` (made by
    /// `pilotEvaluator()`), and the memory is checked against `available` (`usableMemoryBytes()`).
    /// A sweep makes its points' studies so.
    func pinned(_ pins: [SlotIndex: Double], pilot: ChunkEvaluator, available: Int?) throws -> MonteCarloStudy {
        var study = self
        study.mapping = try InputMapping(setup: setup, pins: pins)
        precondition(study.mapping.varyingSlots == mapping.varyingSlots, "a study is pinned again on the same slots only")
        study.sampler = try settings.sampler(dimensionKeys: study.mapping.dimensionKeys)
        pilot.pin(study.mapping)
        (study.layout, study.headlineLayout) = Self.layouts(pilot: pilot, sampler: study.sampler, plan: plan, sources: rowSources, headline: headlineIndices)
        try study.checkMemory(available: available)
        return study
    }

    /// An evaluator for the pilots of `pinned(_:pilot:available:)`.
    func pilotEvaluator() -> ChunkEvaluator {
        Self.pilotEvaluator(setup: setup, mapping: mapping, outputs: kernelOutputs)
    }

    /// Throws when `settings.threads` workers would need more than `available` bytes; sets what each
    /// may hold in counts of spilled values.
    mutating func checkMemory(available: Int?) throws(MemoryShortage) {
        // `run` makes no more workers than there are chunks.
        memoryChecked = available
        spillBytesPerWorker = try MemoryShortage.check(bytesPerWorker: bytesPerWorker, workers: min(settings.threads, plan.chunkCount),
                                                       mergedBytes: layout.binByteCount, available: available)
    }

    /// A resumed run holds its checkpoint's state beside the workers' and merges it into every
    /// checkpoint and the end, as it does theirs: the state's counts of spilled values come out of
    /// the workers' shares (`SpillBudget`), and a state that leaves them nothing is refused.
    public mutating func holdResumed(_ state: StudyState, file: String) throws(ArchiveError) {
        guard let share = spillBytesPerWorker, let available = memoryChecked else { return }
        let workers = min(settings.threads, plan.chunkCount), resumed = state.spilledByteCount
        let left = share - resumed / max(1, workers)
        guard left > 0 else {
            throw ArchiveError(file: file, problem: "holds \(memorySize(Double(resumed))) of counts of values far beyond the first chunk's range, which with "
                                   + "the run's own would need more than \(machineAllows(available)); resume it with more memory, or with fewer --threads")
        }
        spillBytesPerWorker = left
    }

    /// Values each worker stages between commits.
    static let stagingCapacity = StudySettings.chunksPerCommit * StudySettings.chunkSize

    /// Bytes one worker holds: its statistics' bins, its convergence checkpoints' and its staged slots.
    var bytesPerWorker: Int {
        layout.binByteCount + convergenceChunks.count * headlineLayout.binByteCount
            + HistogramStaging.slotByteCount(layout: layout, capacity: Self.stagingCapacity)
    }

    /// A tracked series as a target condition names it (`reduction heating 2060`).
    func seriesName(_ series: TrackedSeriesIndex) -> String {
        tracked[series.position].key.name(year: setup.catalog.years[tracked[series.position].year])
    }

    /// Number of samples in chunks `0..<chunk`.
    public func samples(beforeChunk chunk: Int) -> Int { min(chunk * plan.chunkSize, plan.sampleCount) }

    /// The tracked series a reported series is read from in year `y`, and the factor on its values
    /// (a segment's share, a fixed price); nil for a metric without bands.
    package func trackedSource(of series: SeriesCatalog.ReportedSeries, year y: Int) -> (series: TrackedSeriesIndex, scale: Double)? {
        var computed = series.source, scale = series.shares?[y] ?? 1
        if let scaled = scaledValues[computed] {
            computed = scaled.sales
            scale *= scaled.prices[y]
        }
        return trackedIndex[SeriesYear(series: computed, year: y)].map { ($0, scale) }
    }

    // MARK: Running

    /// Runs `chunks` on `settings.threads` workers. `afterRound` sees, serially, the state covering
    /// every chunk from `chunks.lowerBound` up to the round's end (for checkpoints and progress), about
    /// every `roundDuration` (more often with a `sampleSink`, whose rows wait in memory until then).
    /// With `pool`, the workers of its previous run are reset and used again (its studies must differ
    /// from this one in pinned values and layout only), and kept for the next.
    public func run(chunks: Range<Int>, pool: WorkerPool? = nil, sampleSink: SampleSink? = nil,
                    roundDuration: Duration = StudySettings.roundDuration,
                    afterRound: (Range<Int>, () -> StudyState) -> Void = { _, _ in }) throws(RunMemoryError) -> StudyState {
        setLAPACKThreadCount(1)
        let threads = min(settings.threads, max(1, chunks.count))
        let study = self
        let keepSamples = sampleSink != nil
        // Sample rows wait in memory until their round ends, so then rounds are short.
        let roundSize = keepSamples ? threads * 4 : max(1, chunks.count)
        let spare = HandOff(pool?.takeWorkers() ?? [])
        let keepsWorkers = pool != nil
        var workers = try SpillBudget(bytesPerWorker: spillBytesPerWorker, workers: threads).runChunks(
            chunks, threads: threads, roundSize: roundSize, roundDuration: roundDuration,
            makeWorker: { w throws(BinAllocationError) in
                guard var worker = spare.take(w), worker.keepSamples == keepSamples else { return try Worker(study: study, keepSamples: keepSamples) }
                try worker.reuse(for: study)
                return worker
            },
            body: { worker, chunk in worker.evaluate(chunk: chunk) },
            bands: { worker in worker.state.accumulators },
            finish: { worker in
                worker.commitStaged()
                // Its slots go on its own thread, side by side with the others', not after the run; a pool keeps them.
                if !keepsWorkers { worker.staging.releaseSlots() }
            },
            afterRound: { round, workers in
                if let sampleSink {
                    var texts: [Int: String] = [:]
                    for w in workers.indices {
                        texts.merge(workers[w].sampleRows) { a, _ in a }
                        workers[w].sampleRows.removeAll()
                    }
                    for chunk in round { sampleSink.write(texts[chunk] ?? "") }
                }
                afterRound(chunks.lowerBound..<round.upperBound) {
                    // Only a checkpoint asks: the staged values are counted into the states here, one worker after another.
                    for w in workers.indices { workers[w].commitStaged() }
                    return Self.merge(workers.map(\.state), chunks: chunks.lowerBound..<round.upperBound)
                }
            },
            // Band 0 is the statistics, the others the convergence checks' headline series.
            naming: { band, series in seriesName(band == 0 ? series : headlineIndices[series.position]) })
        if let pool {
            // Merged into the first worker's state in place: its bins are shared with the result
            // until the caller drops that, and are then reset in place by the next run.
            for w in workers.indices.dropFirst() { workers[0].state.merge(workers[w].state) }
            workers[0].state.chunks = chunks
            pool.keep(workers: workers)
            return workers[0].state
        }
        // The workers (their slots already gone) are let go side by side, and then the states alone
        // hold their bins, so the merge adds into the first one's in place.
        let released = HandOff(consume workers)
        let states = parallelMap(0..<released.count, threads: threads) { w in
            guard let worker = released.take(w) else { preconditionFailure("worker \(w) was released twice") }
            return worker.state
        }
        return Self.merge(consume states, chunks: chunks)
    }

    static func merge(_ states: consuming [StudyState], chunks: Range<Int>) -> StudyState {
        var rest = states
        var result = rest.removeFirst()
        for state in rest { result.merge(state) }
        result.chunks = chunks
        return result
    }

    /// One thread's chunk evaluator, staging and statistics.
    struct Worker: @unchecked Sendable {
        private(set) var study: MonteCarloStudy
        let evaluator: ChunkEvaluator
        let staging: HistogramStaging
        var state: StudyState
        let keepSamples: Bool
        var sampleRows: [Int: String] = [:]

        init(study: MonteCarloStudy, keepSamples: Bool) throws(BinAllocationError) {
            self.study = study
            self.keepSamples = keepSamples
            // The sample rows read the totals and every market's rows from the kernel; the statistics
            // add the totals up while staging.
            evaluator = ChunkEvaluator(setup: study.setup, mapping: study.mapping, written: keepSamples ? .all : study.kernelOutputs, totals: keepSamples)
            staging = try HistogramStaging(layout: study.layout, capacity: MonteCarloStudy.stagingCapacity)
            state = try StudyState(study: study)
        }

        /// Makes this worker `study`'s, keeping its evaluator, staging and bins.
        mutating func reuse(for study: MonteCarloStudy) throws(BinAllocationError) {
            precondition(study.sharesWorkers(with: self.study), "workers are reused only by studies that differ in pinned values and layout")
            self.study = study
            evaluator.pin(study.mapping)
            try state.reset(study: study)
            // The bins stay from point to point: mapped in full once, each point's first commit warms them too.
            staging.reset(layout: study.layout, binsMapped: state.statistics.mapBins())
            sampleRows = [:]
        }

        mutating func evaluate(chunk: Int) {
            let samples = study.plan.samples(inChunk: chunk)
            let count = samples.count
            evaluator.draw(samples: samples, from: study.sampler)
            // The kernel runs a few lanes at a time, so that its outputs are still in cache when
            // they are staged; the statistics fold per block, as if each block were one call.
            let block = StudySettings.blockSize
            let outputs = evaluator.outputs
            let converging = study.convergenceChunks.indices.filter { chunk < study.convergenceChunks[$0] }
            let headline = converging.isEmpty ? [] : study.headlineIndices
            let headlineValues = UnsafeMutablePointer<Double>.allocate(capacity: max(1, headline.count * block))
            let targetValues = UnsafeMutablePointer<Double>.allocate(capacity: study.targets.isEmpty ? 1 : evaluator.lanes)
            defer { headlineValues.deallocate(); targetValues.deallocate() }
            var rows = keepSamples ? "" : nil as String?
            // A block's target counts wait until the block is staged for good, as its bands do.
            var blockTargets = study.targets.map { _ in TargetCount() }
            /// Evaluates and stages the samples `blockStart..<blockEnd`, one block.
            func stage(_ blockStart: Int, _ blockEnd: Int, keepingRows: Bool) {
                for k in blockTargets.indices { blockTargets[k] = TargetCount() }
                evaluator.evaluate(blockStart..<blockEnd) { offset, n in
                    staging.append(rows: outputs, sources: study.rowSources, count: n)
                    for (k, target) in study.targets.enumerated() {
                        study.rowSources.write(series: target.series, rows: outputs, count: n, into: targetValues)
                        // A sample left out of the bands is left out of the count too.
                        if staging.isLeavingOut {
                            for i in 0..<n where staging.isLeftOut(offset - blockStart + i) { targetValues[i] = .nan }
                        }
                        blockTargets[k].count(targetValues, count: n, scale: target.scale, condition: target.condition)
                    }
                    for (h, series) in headline.enumerated() {
                        study.rowSources.write(series: series, rows: outputs, count: n, into: headlineValues + h * block + offset - blockStart)
                    }
                    if keepingRows {
                        rows! += study.sampleRows(first: samples.lowerBound + offset, count: n, drawn: evaluator.drawn, kernel: evaluator.kernel)
                    }
                }
            }
            var blockStart = 0
            while blockStart < count {
                let blockEnd = min(blockStart + block, count)
                stage(blockStart, blockEnd, keepingRows: keepSamples)
                // Rare: a sample with a non-finite value. The kernel gives the same outputs again,
                // so the block is staged again with those samples left out of every series.
                if staging.needsRestaging {
                    staging.discardOpenBlocks()
                    stage(blockStart, blockEnd, keepingRows: false)
                }
                var filled = blockEnd - blockStart
                if !converging.isEmpty && staging.isLeavingOut {
                    filled = leaveOut(headlineValues, count: filled, series: headline.count)
                }
                state.statistics.closeBlocks(staging)
                for k in blockTargets.indices { state.targets[k].add(blockTargets[k]) }
                for c in converging {
                    for h in headline.indices {
                        // The headline layout's series h is the study's series headline[h].
                        state.convergence[c].add(series: TrackedSeriesIndex(h), values: UnsafeBufferPointer(start: headlineValues + h * block, count: filled))
                    }
                }
                blockStart = blockEnd
            }
            if !staging.hasRoom(for: StudySettings.chunkSize) { commitStaged() }
            if let rows { sampleRows[chunk] = rows }
        }

        /// Packs each series' headline values of the open block's samples that the staging keeps to
        /// the front, in order; returns how many it keeps.
        func leaveOut(_ values: UnsafeMutablePointer<Double>, count: Int, series: Int) -> Int {
            var kept = 0
            for i in 0..<count where !staging.isLeftOut(i) {
                for h in 0..<series { values[h * StudySettings.blockSize + kept] = values[h * StudySettings.blockSize + i] }
                kept += 1
            }
            return kept
        }

        /// Counts the staged slots into the state's bins; the state is complete only after this.
        mutating func commitStaged() {
            state.statistics.commit(staging)
        }
    }

    /// True when `other`'s workers can be reset for this study: the same scenario, sampler, pinned
    /// slots and tracked series, so the same kernel and number of series.
    func sharesWorkers(with other: MonteCarloStudy) -> Bool {
        setup.scenario == other.setup.scenario && settings.sampler == other.settings.sampler && settings.seed == other.settings.seed
            && mapping.varyingSlots == other.mapping.varyingSlots && mapping.pins.keys == other.mapping.pins.keys && tracked == other.tracked
    }

    /// Workers kept from one run to the next of studies that differ only in pinned values and layout
    /// (a sweep's grid points): each run resets them instead of making new ones, so neither the time
    /// to map and fault in their memory nor the memory itself grows with the number of runs.
    public final class WorkerPool {
        private var workers: [Worker] = []

        public init() {}

        /// The kept workers, no longer held here (so their bins are not shared when they change).
        func takeWorkers() -> [Worker] {
            defer { workers = [] }
            return workers
        }

        func keep(workers: [Worker]) {
            self.workers = workers
        }
    }

    // MARK: Pilot

    /// The evaluator a pilot runs on: it writes the rows of `outputs` and leaves the totals to `RowSources`.
    static func pilotEvaluator(setup: ModelSetup, mapping: InputMapping, outputs: KernelOutputs) -> ChunkEvaluator {
        ChunkEvaluator(setup: setup, mapping: mapping, written: outputs, totals: false)
    }

    /// The layouts of the statistics and of the `headline` series, from the pilot's ranges.
    static func layouts(pilot: ChunkEvaluator, sampler: UniformSampler, plan: ChunkPlan, sources: RowSources,
                        headline: [TrackedSeriesIndex]) -> (HistogramLayout, HistogramLayout) {
        let ranges = pilotRanges(evaluator: pilot, sampler: sampler, plan: plan, sources: sources)
        return (HistogramLayout(ranges: ranges), HistogramLayout(ranges: headline.map { ranges[$0.position] }))
    }

    /// Per tracked series: the range of chunk 0's values, widened by a factor of two each way.
    static func pilotRanges(evaluator: ChunkEvaluator, sampler: UniformSampler, plan: ChunkPlan, sources: RowSources) -> [SeriesRange] {
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: evaluator.lanes)
        defer { sums.deallocate() }
        evaluator.draw(samples: plan.samples(inChunk: 0), from: sampler)
        var low = [Double](repeating: .infinity, count: sources.count)
        var high = [Double](repeating: -.infinity, count: sources.count)
        evaluator.evaluateChunk { _, n in
            // A series' own row is scanned where the kernel wrote it.
            sources.forEachSeries(rows: evaluator.outputs, count: n, scratch: sums) { t, values in
                let extremes = finiteExtremes(values)
                low[t.position] = min(low[t.position], extremes.lower)
                high[t.position] = max(high[t.position], extremes.upper)
            }
        }
        return zip(low, high).map { widened(lower: $0, upper: $1) }
    }
}

extension MonteCarloStudy {
    /// The markets' rows the tracked series are read from: their metrics, markets and years (a
    /// total's from its terms').
    static func kernelOutputs(_ tracked: [TrackedSeries], setup: ModelSetup) -> KernelOutputs {
        let catalog = setup.catalog
        var metrics = Set<Metric>(), markets = Set<Int>(), years = Set<Int>()
        for series in tracked {
            let terms = catalog.totalTerms(computed: series.computed, year: series.year)?.map(\.computed) ?? [series.computed]
            for computed in terms {
                let key = catalog[series: computed]
                metrics.insert(key.metric)
                if let market = setup.scenario.markets.firstIndex(where: { $0.name == key.market }) { markets.insert(market) }
            }
            years.insert(series.year)
        }
        return KernelOutputs(metrics: metrics, markets: markets, years: years)
    }

    /// The tracked series in the outputs of a kernel of `lanes` lanes that leaves the totals to the
    /// caller: a market's series from its row, a total's added up from the markets' rows.
    static func rowSources(_ tracked: [TrackedSeries], setup: ModelSetup, lanes: Int) -> RowSources {
        var sources = RowSources()
        // Metric by metric and year by year, so a total's terms were staged just before and are still in cache.
        func key(_ t: Int) -> (Int, Int, Int) { (tracked[t].key.metric.row, tracked[t].year, t) }
        let order = tracked.indices.sorted { key($0) < key($1) }
        for t in order {
            let series = tracked[t]
            let row = { setup.catalog.outputOffset($0, year: series.year, lanes: lanes) }
            if let terms = setup.catalog.totalTerms(computed: series.computed, year: series.year) {
                sources.add(series: TrackedSeriesIndex(t), sumOf: terms.map { (row($0.computed), $0.weight) })
            } else {
                sources.add(series: TrackedSeriesIndex(t), row: row(series.computed))
            }
        }
        return sources
    }
}

/// A run that would need more memory than the process may use: refused before any worker is made.
public struct MemoryShortage: Error, CustomStringConvertible, Equatable {
    public var bytesPerWorker: Int
    public var workers: Int
    /// Bins of the one more accumulator that checkpoints merge the workers' states into.
    public var mergedBytes: Int
    public var available: Int

    /// Throws when `workers` workers and the merged copy need more than `available` bytes (nil:
    /// unknown, no check). Returns what each worker may then hold in counts of spilled values
    /// (`SpillBudget`): a quarter of its share of the rest, as the workers' counts, their merge and
    /// the copy a merge of two runs makes can each take about as much.
    static func check(bytesPerWorker: Int, workers: Int, mergedBytes: Int, available: Int?) throws(MemoryShortage) -> Int? {
        guard let available else { return nil }
        let shortage = MemoryShortage(bytesPerWorker: bytesPerWorker, workers: workers, mergedBytes: mergedBytes, available: available)
        if shortage.neededBytes > Double(available) { throw shortage }
        return Int((Double(available) - shortage.neededBytes) / Double(4 * max(1, workers)))
    }

    /// In floating point: the product can exceed Int for absurd thread counts.
    public var neededBytes: Double { Double(bytesPerWorker) * Double(workers) + Double(mergedBytes) }

    public var description: String {
        return "the run needs ~\(memorySize(Double(bytesPerWorker))) of histogram bins and staged values per worker × \(workers) worker\(workers == 1 ? "" : "s")"
            + " + \(memorySize(Double(mergedBytes))) for merging = \(memorySize(neededBytes)); \(machineAllows(available)):"
            + " use fewer markets or uncertain inputs, or fewer worker threads"
    }
}

/// Bytes in MB or GB, to a tenth.
package func memorySize(_ bytes: Double) -> String {
    bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.1f MB", bytes / 1e6)
}

/// "this machine allows X (…)": what a memory check compared with, and where that comes from.
package func machineAllows(_ bytes: Int) -> String {
    "this machine allows \(memorySize(Double(bytes))) (the least of its memory, its job's limit and the address space ulimit -v leaves)"
}

/// A pilot's range widened by a factor of two on each side (a unit range when the pilot saw nothing
/// finite), kept finite for values beyond half the largest double.
func widened(lower: Double, upper: Double) -> SeriesRange {
    guard lower.isFinite && upper.isFinite else { return SeriesRange(lower: -1, upper: 1) }
    if lower == 0 && upper == 0 { return SeriesRange(lower: -1, upper: 1) }
    let newLower = lower > 0 ? lower / 2 : lower * 2
    let newUpper = upper < 0 ? upper / 2 : upper * 2
    // Doubling the largest doubles overflows; values beyond the range are spilled exactly anyway.
    return SeriesRange(lower: max(newLower, -.greatestFiniteMagnitude), upper: min(newUpper, .greatestFiniteMagnitude))
}

/// Receives `samples.csv` text chunk by chunk, in chunk order.
public protocol SampleSink: Sendable {
    func write(_ text: String)
}
