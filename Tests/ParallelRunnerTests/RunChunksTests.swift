import Foundation
import Synchronization
import Testing
import ParallelRunner

@Suite struct RunChunksTests {
    struct Recorder: Sendable {
        let index: Int
        var chunks: [Int] = []
    }

    /// Rounds bounded by chunks (nil), and by a duration that has passed once a worker has done a
    /// chunk (zero): then a round holds one chunk a worker at most.
    @Test(arguments: [1, 2, 7], [0..<13, 5..<102, 3..<4, 9..<9])
    func everyChunkRunsExactlyOnce(threads: Int, chunks: Range<Int>) {
        for duration in [nil, Duration.zero] {
            everyChunkRunsExactlyOnce(threads: threads, chunks: chunks, roundDuration: duration)
        }
    }

    func everyChunkRunsExactlyOnce(threads: Int, chunks: Range<Int>, roundDuration: Duration?) {
        var rounds: [Range<Int>] = []
        let workers = runChunks(chunks, threads: threads, roundSize: 4, roundDuration: roundDuration,
                                makeWorker: { Recorder(index: $0) },
                                body: { worker, chunk in worker.chunks.append(chunk) },
                                afterRound: { round, workers in
                                    rounds.append(round)
                                    // The workers cover exactly the chunks completed so far.
                                    let seen = workers.flatMap(\.chunks).sorted()
                                    #expect(seen == Array(chunks.lowerBound..<round.upperBound))
                                })
        #expect(workers.map(\.index) == Array(0..<threads))
        #expect(workers.flatMap(\.chunks).sorted() == Array(chunks))
        // Each worker claims chunks in increasing order.
        #expect(workers.allSatisfy { zip($0.chunks, $0.chunks.dropFirst()).allSatisfy { $0 < $1 } })
        // Rounds are contiguous, increasing and cover the chunks.
        #expect(rounds.first?.lowerBound ?? chunks.lowerBound == chunks.lowerBound)
        #expect(rounds.last?.upperBound ?? chunks.upperBound == chunks.upperBound)
        #expect(zip(rounds, rounds.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(rounds.allSatisfy { !$0.isEmpty && $0.count <= (roundDuration == nil ? 4 : min(4, threads)) })
    }

    /// `finish` runs once on every worker, an idle one too, after its last chunk: not in the rounds
    /// before the last. With a zero duration, workers leave the last round at its deadline without
    /// seeing that no chunk is left.
    @Test(arguments: [1, 2, 7], [0..<13, 3..<4])
    func finishRunsOncePerWorkerAtTheEnd(threads: Int, chunks: Range<Int>) {
        for duration in [nil, Duration.zero] {
            finishRunsOncePerWorkerAtTheEnd(threads: threads, chunks: chunks, roundDuration: duration)
        }
    }

    func finishRunsOncePerWorkerAtTheEnd(threads: Int, chunks: Range<Int>, roundDuration: Duration?) {
        struct Finisher: Sendable {
            var chunksAtFinish: [Int] = []
            var chunks = 0
        }
        var finishedBeforeTheEnd = false
        let workers = runChunks(chunks, threads: threads, roundSize: 4, roundDuration: roundDuration,
                                makeWorker: { _ in Finisher() },
                                body: { worker, _ in worker.chunks += 1 },
                                finish: { worker in worker.chunksAtFinish.append(worker.chunks) },
                                afterRound: { round, workers in
                                    if round.upperBound < chunks.upperBound && workers.contains(where: { !$0.chunksAtFinish.isEmpty }) {
                                        finishedBeforeTheEnd = true
                                    }
                                })
        #expect(!finishedBeforeTheEnd)
        #expect(workers.allSatisfy { $0.chunksAtFinish == [$0.chunks] })
        #expect(workers.map(\.chunks).reduce(0, +) == chunks.count)
    }

    @Test func singleThreadRunsInChunkOrder() {
        let workers = runChunks(0..<50, threads: 1, roundSize: 7,
                                makeWorker: { Recorder(index: $0) },
                                body: { worker, chunk in worker.chunks.append(chunk) },
                                afterRound: { _, _ in })
        #expect(workers[0].chunks == Array(0..<50))
    }

    struct PartialSums: Sendable {
        var byChunk: [Int: Double] = [:]
    }

    /// A floating-point reduction made deterministic: workers keep per-chunk results, each round
    /// moves them out, and the total is folded in chunk order.
    func reduce(threads: Int) -> Double {
        var perChunk = [Double](repeating: .nan, count: 300)
        _ = runChunks(0..<300, threads: threads, roundSize: 32,
                      makeWorker: { _ in PartialSums() },
                      body: { worker, chunk in
                          var sum = 0.0
                          for i in 0..<200 { sum += 1 / Double(chunk * 200 + i + 1) }
                          worker.byChunk[chunk] = sum
                      },
                      afterRound: { _, workers in
                          for index in workers.indices {
                              for (chunk, sum) in workers[index].byChunk { perChunk[chunk] = sum }
                              workers[index].byChunk = [:]
                          }
                      })
        return perChunk.reduce(0, +)
    }

    @Test func deterministicReductionIgnoresThreadCount() {
        let single = reduce(threads: 1)
        #expect(single.bitPattern == reduce(threads: 4).bitPattern)
        // Harmonic number H(n) = ln n + γ + 1/(2n) − 1/(12n²) + O(n⁻⁴), Euler–Mascheroni γ = 0.5772156649015329.
        let n = 60_000.0
        #expect(abs(single - (log(n) + 0.577_215_664_901_532_9 + 1 / (2 * n) - 1 / (12 * n * n))) < 1e-12)
    }

    /// Past a round's deadline a worker claims nothing once the round has a chunk, so workers beyond
    /// the cores (iterations that start late) do not each run a chunk of every round: with 16
    /// workers, rounds of a zero duration hold fewer than 16 chunks.
    @Test func lateWorkersClaimNothingPastTheDeadline() {
        let threads = 16, chunks = 0..<64
        var rounds: [Range<Int>] = []
        let workers = runChunks(chunks, threads: threads, roundSize: chunks.count, roundDuration: .zero,
                                makeWorker: { Recorder(index: $0) },
                                body: { worker, chunk in worker.chunks.append(chunk) },
                                afterRound: { round, _ in rounds.append(round) })
        #expect(workers.flatMap(\.chunks).sorted() == Array(chunks))
        #expect(rounds.count > chunks.count / threads, "\(rounds.map(\.count))")
    }

    /// Counts the canaries alive, to see that workers and handed-off values are let go exactly once.
    final class Canary: @unchecked Sendable {
        static let alive = Mutex(0)
        init() { Self.alive.withLock { $0 += 1 } }
        deinit { Self.alive.withLock { $0 -= 1 } }
    }

    @Test func workersMadeBeforeAFailureAndValuesNeverTakenAreLetGo() {
        struct Holder: Sendable { let canary = Canary() }
        #expect(throws: MakeFailure(worker: 3)) {
            _ = try runChunks(0..<8, threads: 5, roundSize: 8,
                              makeWorker: { w throws(MakeFailure) in
                                  guard w != 3 else { throw MakeFailure(worker: w) }
                                  return Holder()
                              },
                              body: { _, _ in }, afterRound: { _, _ in })
        }
        #expect(Canary.alive.withLock { $0 } == 0)
        do {
            let handOff = HandOff((0..<4).map { _ in Holder() })
            #expect(handOff.take(1) != nil && handOff.take(1) == nil && handOff.take(4) == nil)
            #expect(Canary.alive.withLock { $0 } == 3)
        }
        #expect(Canary.alive.withLock { $0 } == 0)
    }

    struct MakeFailure: Error, Equatable {
        let worker: Int
    }

    /// Workers are made side by side; what the first of them to fail throws (by index) ends the call
    /// before any chunk runs.
    @Test(arguments: [1, 2, 7])
    func theFirstWorkerToFailByIndexEndsTheCall(threads: Int) {
        let failing = threads / 2
        #expect(throws: MakeFailure(worker: failing)) {
            _ = try runChunks(0..<20, threads: threads, roundSize: 4,
                              makeWorker: { w throws(MakeFailure) in
                                  guard w < failing else { throw MakeFailure(worker: w) }
                                  return Recorder(index: w)
                              },
                              body: { _, _ in Issue.record("a chunk ran") },
                              afterRound: { _, _ in Issue.record("a round ended") })
        }
    }

    @Test(arguments: [1, 2, 7], [0..<0, 3..<4, 5..<300])
    func parallelMapKeepsIndexOrder(threads: Int, indices: Range<Int>) {
        #expect(parallelMap(indices, threads: threads) { $0 * $0 } == indices.map { $0 * $0 })
    }

    @Test(arguments: [1, 2, 7], [0..<0, 3..<4, 5..<300])
    func parallelTextIsTheRunsJoinedInOrder(threads: Int, indices: Range<Int>) {
        #expect(parallelText(indices, threads: threads) { run in run.map { "\($0)\n" }.joined() } == indices.map { "\($0)\n" }.joined())
    }

    @Test func coreCountIsPositive() {
        #expect(availableCoreCount() >= 1)
    }
}
