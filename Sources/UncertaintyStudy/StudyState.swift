import ParallelRunner
import StreamingStatistics

/// Everything a run accumulates: exactly mergeable, so shards and threads combine to the same bits.
public struct StudyState: Sendable, Equatable {
    public var statistics: StatisticsAccumulator
    /// Headline statistics over the chunks below each convergence boundary.
    public var convergence: [StatisticsAccumulator]
    /// Per target of the study, its exact counts.
    public var targets: [TargetCount]
    /// The chunks this state covers.
    public var chunks: Range<Int>

    init(statistics: StatisticsAccumulator, convergence: [StatisticsAccumulator], targets: [TargetCount], chunks: Range<Int>) {
        self.statistics = statistics
        self.convergence = convergence
        self.targets = targets
        self.chunks = chunks
    }

    /// An empty state for `study`.
    public init(study: MonteCarloStudy) throws(BinAllocationError) {
        statistics = try StatisticsAccumulator(layout: study.layout)
        convergence = try study.convergenceChunks.map { _ throws(BinAllocationError) in try StatisticsAccumulator(layout: study.headlineLayout) }
        targets = study.targets.map { _ in TargetCount() }
        chunks = 0..<0
    }

    /// Empties the state for `study`, keeping the memory of its bins where it can.
    mutating func reset(study: MonteCarloStudy) throws(BinAllocationError) {
        try statistics.reset(layout: study.layout)
        if convergence.count == study.convergenceChunks.count {
            for i in convergence.indices { try convergence[i].reset(layout: study.headlineLayout) }
        } else {
            convergence = try study.convergenceChunks.map { _ throws(BinAllocationError) in try StatisticsAccumulator(layout: study.headlineLayout) }
        }
        targets = study.targets.map { _ in TargetCount() }
        chunks = 0..<0
    }

    /// Its statistics and its convergence checkpoints'.
    var accumulators: [StatisticsAccumulator] { [statistics] + convergence }

    /// The memory its counts of spilled values hold (`StatisticsAccumulator.spilledByteCount`).
    var spilledByteCount: Int { accumulators.reduce(0) { $0 + $1.spilledByteCount } }

    /// Refuses to encode the state into `file` (study.hpmc, a shard) when its bytes would not fit in
    /// what memory is left: they are held twice while encoded (the sections, then the file's bytes),
    /// beside the other output files made meanwhile. With heavy tails they are mostly the counts of
    /// values beyond the pilot's range. A refusal inside the encoding would be a trap.
    public func checkEncodingMemory(file: String) throws(ArchiveError) {
        guard let available = memoryLeftBytes() else { return }
        func needed(_ bytes: Double) -> Double { 2 * bytes + Double(Self.otherOutputsBytes) }
        // A bound first, with no scan of the bins (a run's take milliseconds): almost always enough.
        guard needed(Double(accumulators.reduce(0) { $0 + $1.serializedByteCount(bound: true) })) > Double(available) else { return }
        let bytes = Double(accumulators.reduce(0) { $0 + $1.serializedByteCount() })
        guard needed(bytes) > Double(available) else { return }
        let heavy = Double(spilledByteCount) > bytes / 2 ? ", most of them counts of values far beyond the first chunk's range," : ""
        throw ArchiveError(file: file, problem: "cannot be written: its \(memorySize(bytes))\(heavy) need about \(memorySize(needed(bytes))) while it is encoded, "
                               + "and \(machineAllows(available)); give the process more memory")
    }

    /// Room for bands.csv, summary.json and the charts, made beside study.hpmc: a few MB, with a margin.
    static let otherOutputsBytes = 64 << 20

    /// Adds `other`'s samples (of the same study, other chunks) to this state.
    public mutating func merge(_ other: StudyState) {
        statistics.merge(other.statistics)
        for i in convergence.indices { convergence[i].merge(other.convergence[i]) }
        for i in targets.indices { targets[i].add(other.targets[i]) }
    }
}
