import Dispatch
import Synchronization

/// Runs `body` once for every chunk in `chunks` on `threads` workers.
///
/// Each worker owns one `Worker` value, made by `makeWorker(workerIndex)` on the calling thread (what
/// it throws ends the call before any chunk runs), and mutates it without locks. Workers claim chunk indices in increasing order from a shared atomic
/// counter, so which worker gets which chunk varies between runs: results must be combined by
/// something order-independent (integer or exactly mergeable state) or keyed by chunk.
///
/// Work proceeds in rounds of `roundSize` chunks. After each round `afterRound(completedChunks, &workers)`
/// runs serially on the calling thread; the workers have then done exactly the chunks completed so
/// far (`chunks.lowerBound ..< completedChunks.upperBound`), so it can merge, checkpoint or reset them
/// (folding what a worker buffers into its state first). At the end of the last round, `finish` runs
/// on every worker in parallel, for work that would otherwise hold up the caller (such as folding
/// buffered results into the worker's state). It runs then only: a round ends when its last worker
/// is done, so work each worker did at every round's end would keep the others waiting.
/// Returns the workers, indexed by worker.
public func runChunks<Worker: Sendable, Failure: Error>(
    _ chunks: Range<Int>,
    threads: Int,
    roundSize: Int,
    makeWorker: (Int) throws(Failure) -> Worker,
    body: @Sendable (inout Worker, Int) -> Void,
    finish: @Sendable (inout Worker) -> Void = { _ in },
    afterRound: (Range<Int>, inout [Worker]) -> Void
) throws(Failure) -> [Worker] {
    precondition(threads >= 1, "threads must be positive")
    precondition(roundSize >= 1, "roundSize must be positive")
    var workers = try (0..<threads).map(makeWorker)
    var start = chunks.lowerBound
    while start < chunks.upperBound {
        let round = start..<(start + min(roundSize, chunks.upperBound - start))
        workers.withUnsafeMutableBufferPointer { buffer in
            let slots = WorkerSlots(base: buffer.baseAddress!)
            let nextChunk = Atomic<Int>(round.lowerBound)
            DispatchQueue.concurrentPerform(iterations: threads) { workerIndex in
                while true {
                    let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard chunk < round.upperBound else { break }
                    body(&slots.base[workerIndex], chunk)
                }
                if round.upperBound == chunks.upperBound { finish(&slots.base[workerIndex]) }
            }
        }
        afterRound(round, &workers)
        start = round.upperBound
    }
    return workers
}

/// The workers' storage during one round. Unchecked: iteration `i` of `concurrentPerform` is the only
/// code touching element `i`, and the buffer outlives the round, which `concurrentPerform` waits for.
private struct WorkerSlots<Worker>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Worker>
}
