import ParallelRunner
import StreamingStatistics
import Synchronization

/// What a run lets each worker hold in counts of spilled values (values beyond the pilot's range,
/// kept to 2⁻¹⁰: `StatisticsAccumulator.spilledByteCount`), and the first worker found holding more.
///
/// Those counts are the one part of a worker's memory that grows with the samples, where an input's
/// tails reach far beyond chunk 0's. The check before the run cannot count them, so the workers
/// weigh them after every chunk (`runChunks`), and once one is over its share no worker starts
/// another chunk and the run ends with `SpillShortage`, before the system refuses memory (a refusal
/// inside a growing array ends the process by a trap).
final class SpillBudget: Sendable {
    /// Nil: no limit known, nothing checked.
    let bytesPerWorker: Int?
    let workers: Int
    /// The first worker over its share: its bytes and its largest series, by band.
    private let excess = Mutex<(bytes: Int, band: Int, series: TrackedSeriesIndex)?>(nil)
    /// Set with `excess`: read by every worker before each chunk without the lock.
    private let exceeded = Atomic<Bool>(false)

    init(bytesPerWorker: Int?, workers: Int) {
        self.bytesPerWorker = bytesPerWorker
        self.workers = workers
    }

    /// `ParallelRunner.runChunks` of an engine's workers, each of which holds its bands' accumulators
    /// (`bands`), weighed after every chunk: once a worker is over its share, no chunk starts and no
    /// round reaches `afterRound`, and the run ends with `.spilled`, its largest series named by
    /// `name(band, series)`. A worker whose memory the system refuses ends it with `.refused`.
    func runChunks<Worker: Sendable>(_ chunks: Range<Int>, threads: Int, roundSize: Int, roundDuration: Duration?,
                                     makeWorker: @Sendable (Int) throws(BinAllocationError) -> Worker,
                                     body: @Sendable (inout Worker, Int) -> Void,
                                     bands: @Sendable (Worker) -> [StatisticsAccumulator],
                                     finish: @Sendable (inout Worker) -> Void,
                                     afterRound: (Range<Int>, inout [Worker]) -> Void,
                                     naming name: (Int, TrackedSeriesIndex) -> String) throws(RunMemoryError) -> [Worker] {
        let workers: [Worker]
        do {
            workers = try ParallelRunner.runChunks(
                chunks, threads: threads, roundSize: roundSize, roundDuration: roundDuration, makeWorker: makeWorker,
                body: { worker, chunk in
                    guard !self.isExceeded else { return }
                    body(&worker, chunk)
                    self.weigh(bands(worker))
                },
                finish: finish,
                afterRound: { round, workers in
                    // A stopped run's workers skipped chunks: nothing of it may be saved or shown.
                    guard !self.isExceeded else { return }
                    afterRound(round, &workers)
                })
        } catch {
            throw .refused(error)
        }
        guard let bytesPerWorker, let found = excess.withLock({ $0 }) else { return workers }
        throw .spilled(SpillShortage(series: name(found.band, found.series), bytes: found.bytes, bytesPerWorker: bytesPerWorker, workers: self.workers))
    }

    private var isExceeded: Bool { exceeded.load(ordering: .relaxed) }

    /// Weighs one worker's accumulators (its bands, by index).
    private func weigh(_ accumulators: [StatisticsAccumulator]) {
        guard let bytesPerWorker, !isExceeded else { return }
        let bytes = accumulators.map(\.spilledByteCount)
        let total = bytes.reduce(0, +)
        guard total > bytesPerWorker, let band = bytes.indices.max(by: { bytes[$0] < bytes[$1] }) else { return }
        excess.withLock { if $0 == nil { $0 = (total, band, accumulators[band].largestSpill ?? TrackedSeriesIndex(0)) } }
        exceeded.store(true, ordering: .relaxed)
    }
}

/// A run stopped because one worker's counts of values beyond the pilot's range outgrew the memory
/// the check before the run left for them (see `SpillBudget`).
public struct SpillShortage: Error, Equatable, CustomStringConvertible {
    /// The series holding most of them, as `reduction heating 2060`.
    public var series: String
    /// What one worker held.
    public var bytes: Int
    public var bytesPerWorker: Int
    public var workers: Int

    public var description: String {
        "the values of \(series) (and perhaps other series) fall far beyond the range of the first chunk's, and counting them to 2⁻¹⁰ took "
            + "\(memorySize(Double(bytes))) on one worker, more than the \(memorySize(Double(bytesPerWorker))) a worker may take of the memory this machine leaves "
            + "beside the bins (the least of its memory, its job's limit and ulimit -v): track fewer series (a run's --metrics, --markets, --years), "
            + (workers > 1 ? "use fewer --threads or --samples" : "use fewer --samples") + ", give the process more memory, or give the input "
            + "that drives those values a distribution with lighter tails"
    }
}

/// Why a run stopped for memory.
public enum RunMemoryError: Error, Equatable, CustomStringConvertible {
    /// The system refused the memory of a worker's bins or staged slots.
    case refused(BinAllocationError)
    /// A worker's counts of spilled values outgrew their share.
    case spilled(SpillShortage)

    public var description: String {
        switch self {
        case .refused(let error): error.description
        case .spilled(let shortage): shortage.description
        }
    }
}
