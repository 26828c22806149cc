import Dispatch
import Synchronization

/// Runs `body` once for every chunk in `chunks` on `threads` workers.
///
/// Each worker owns one `Worker` value, made by `makeWorker(workerIndex)` (the workers side by side;
/// the first error by index ends the call before any chunk runs), and mutates it without locks.
/// Workers claim chunk indices in increasing order from a shared atomic counter, so which worker
/// gets which chunk varies between runs: results must be combined by something order-independent
/// (integer or exactly mergeable state) or keyed by chunk.
///
/// Work proceeds in rounds of at most `roundSize` chunks, and, with `roundDuration`, of about that
/// long: once it has passed, workers claim no further chunk of the round (beyond its first) and
/// finish those they hold.
/// After each round `afterRound(completedChunks, &workers)` runs serially on the calling thread; the
/// workers have then done exactly the chunks completed so far (`chunks.lowerBound ..< completedChunks.upperBound`),
/// so it can merge, checkpoint or reset them (folding what a worker buffers into its state first).
/// A round ends in a barrier, its last chunk keeping the other workers waiting, so a round bounded
/// by time costs the same however fast the chunks are. At the end of the last round, `finish` runs
/// on every worker in parallel, for work that would otherwise hold up the caller (such as folding
/// buffered results into the worker's state). It runs then only, for the same reason (and not at
/// all when `chunks` is empty).
/// Returns the workers, indexed by worker.
public func runChunks<Worker: Sendable, Failure: Error>(
    _ chunks: Range<Int>,
    threads: Int,
    roundSize: Int,
    roundDuration: Duration? = nil,
    makeWorker: @Sendable (Int) throws(Failure) -> Worker,
    body: @Sendable (inout Worker, Int) -> Void,
    finish: @Sendable (inout Worker) -> Void = { _ in },
    afterRound: (Range<Int>, inout [Worker]) -> Void
) throws(Failure) -> [Worker] {
    precondition(threads >= 1, "threads must be positive")
    precondition(roundSize >= 1, "roundSize must be positive")
    var workers = try makeWorkers(threads, makeWorker)
    var finished = [Bool](repeating: false, count: threads)
    let clock = ContinuousClock()
    var start = chunks.lowerBound
    while start < chunks.upperBound {
        let first = start, limit = start + min(roundSize, chunks.upperBound - start)
        let deadline = roundDuration.map { clock.now + $0 }
        let nextChunk = Atomic<Int>(first)
        workers.withUnsafeMutableBufferPointer { buffer in
            finished.withUnsafeMutableBufferPointer { finishedBuffer in
                let slots = WorkerSlots(base: buffer.baseAddress!), done = WorkerSlots(base: finishedBuffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: threads) { workerIndex in
                    while true {
                        // Past the deadline a worker claims nothing once the round has a chunk: every
                        // claimed chunk is run, so the round is `first..<claimed`, and it is never empty.
                        // (A worker that starts late, with more workers than cores, then does nothing.)
                        if let deadline, nextChunk.load(ordering: .relaxed) > first, clock.now >= deadline { break }
                        let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard chunk < limit else {
                            if limit == chunks.upperBound {
                                finish(&slots.base[workerIndex])
                                done.base[workerIndex] = true
                            }
                            break
                        }
                        body(&slots.base[workerIndex], chunk)
                    }
                }
            }
        }
        let round = start..<min(nextChunk.load(ordering: .relaxed), limit)
        if round.upperBound == chunks.upperBound && finished.contains(false) {
            // Workers that left at the deadline did not know the round was the last.
            workers.withUnsafeMutableBufferPointer { buffer in
                let slots = WorkerSlots(base: buffer.baseAddress!), done = finished
                DispatchQueue.concurrentPerform(iterations: threads) { workerIndex in
                    if !done[workerIndex] { finish(&slots.base[workerIndex]) }
                }
            }
        }
        afterRound(round, &workers)
        start = round.upperBound
    }
    return workers
}

/// `make(0..<count)`, made side by side so that no worker waits for the others to be made; the first
/// error by index.
private func makeWorkers<Worker: Sendable, Failure: Error>(_ count: Int, _ make: @Sendable (Int) throws(Failure) -> Worker) throws(Failure) -> [Worker] {
    let made = UnsafeMutablePointer<Result<Worker, Failure>>.allocate(capacity: count)
    defer { made.deallocate() }
    let slots = WorkerSlots(base: made)
    DispatchQueue.concurrentPerform(iterations: count) { w in
        (slots.base + w).initialize(to: Result { () throws(Failure) in try make(w) })
    }
    let results = (0..<count).map { (made + $0).move() }
    return try results.map { result throws(Failure) in try result.get() }
}

/// The workers' storage during one round. Unchecked: iteration `i` of `concurrentPerform` is the only
/// code touching element `i`, and the buffer outlives the round, which `concurrentPerform` waits for.
private struct WorkerSlots<Worker>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Worker>
}

/// `transform(i)` for every `i` in `indices`, on up to `threads` threads (no more than there are
/// cores); the results in index order.
public func parallelMap<T: Sendable>(_ indices: Range<Int>, threads: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    let workers = runChunks(indices, threads: max(1, min(threads, indices.count, availableCoreCount())), roundSize: max(1, indices.count),
                            makeWorker: { _ in [(index: Int, value: T)]() },
                            body: { results, i in results.append((i, transform(i))) },
                            afterRound: { _, _ in })
    return workers.joined().sorted { $0.index < $1.index }.map(\.value)
}

/// The text of `indices` made in runs, by `text(run)` on up to `threads` threads, joined in order: for
/// long files of many rows.
public func parallelText(_ indices: Range<Int>, threads: Int, _ text: @Sendable (Range<Int>) -> String) -> String {
    let runs = max(1, 4 * min(threads, indices.count, availableCoreCount()))
    return parallelMap(0..<runs, threads: threads) { r in
        text(indices.lowerBound + indices.count * r / runs ..< indices.lowerBound + indices.count * (r + 1) / runs)
    }.joined()
}

/// Values handed from one thread to several: each index taken once, by any one thread, and moved
/// out, so that once the caller has let its array go (`HandOff(consume values)`) no copy shares a
/// value's storage (copy-on-write buffers stay unique). Unchecked: distinct indices are distinct
/// elements, and each is taken by one thread only.
public final class HandOff<Element: Sendable>: @unchecked Sendable {
    private let elements: UnsafeMutablePointer<Element>
    private let taken: UnsafeMutablePointer<Bool>
    public let count: Int

    public init(_ values: consuming [Element]) {
        count = values.count
        elements = .allocate(capacity: count)
        taken = .allocate(capacity: count)
        taken.initialize(repeating: false, count: count)
        for (i, value) in values.enumerated() { (elements + i).initialize(to: value) }
    }

    /// Element `i`, if there is one and it was not taken.
    public func take(_ i: Int) -> Element? {
        guard i >= 0, i < count, !taken[i] else { return nil }
        taken[i] = true
        return (elements + i).move()
    }

    deinit {
        for i in 0..<count where !taken[i] { (elements + i).deinitialize(count: 1) }
        elements.deallocate()
        taken.deallocate()
    }
}
