import Testing
@testable import StreamingStatistics
@testable import UncertaintyStudy

/// The counts of values far beyond the pilot's range are the one part of a worker's memory that
/// grows with the samples: once a worker's pass the share the memory check left it, the run stops
/// with an error naming a series, and none of it reaches a checkpoint or the progress line.
struct SpillBudgetTests {
    static let settings = StudySettings(samples: 8 * StudySettings.chunkSize, seed: 1, threads: 2)
    static let share = 1000

    @Test func aRunStopsOnceAWorkersSpilledCountsOutgrowTheirShare() throws {
        var study = try MonteCarloStudy(setup: heavyTailedSetup(sigma: 3), settings: Self.settings)
        let needed = 2 * study.bytesPerWorker + study.layout.binByteCount
        // A quarter of each worker's share of what is left goes to its spills: its first chunk's use it up.
        try study.checkMemory(available: needed + 4 * 2 * Self.share)
        var rounds = 0
        let error = #expect(throws: RunMemoryError.self) {
            try study.run(chunks: 0..<study.plan.chunkCount) { _, _ in rounds += 1 }
        }
        guard case .spilled(let shortage) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(shortage.bytes > Self.share && shortage.bytesPerWorker == Self.share && rounds == 0)
        #expect(study.tracked.indices.contains { study.seriesName(TrackedSeriesIndex($0)) == shortage.series }, "\(shortage.series)")
        #expect(shortage.description.contains("fall far beyond") && shortage.description.contains("--threads") && shortage.description.contains("--years"))
        // One worker cannot be fewer.
        #expect(!SpillShortage(series: shortage.series, bytes: 2, bytesPerWorker: 1, workers: 1).description.contains("--threads"))

        // With room, the same study runs through, to the bits of one with no limit known.
        try study.checkMemory(available: needed + 4 * 2 * 100_000_000)
        let state = try study.run(chunks: 0..<study.plan.chunkCount) { _, _ in rounds += 1 }
        #expect(rounds > 0 && !state.statistics.spills.isEmpty)
        try study.checkMemory(available: nil)
        #expect(try study.run(chunks: 0..<study.plan.chunkCount).statistics.serialized() == state.statistics.serialized())
    }

    /// A resumed run holds its checkpoint's state and merges it into every checkpoint as it does the
    /// workers': its spilled counts come out of their shares, and one that leaves them nothing is
    /// refused, naming the checkpoint (a resumed heavy-tailed run trapped under `ulimit -v` where the
    /// uninterrupted one stopped with an error).
    @Test func aResumedStatesSpilledCountsComeOutOfTheWorkersShares() throws {
        var study = try MonteCarloStudy(setup: heavyTailedSetup(sigma: 3), settings: Self.settings)
        let resumed = try study.run(chunks: 0..<4)
        let spilled = resumed.spilledByteCount, needed = 2 * study.bytesPerWorker + study.layout.binByteCount
        try #require(spilled > 0)
        try study.checkMemory(available: needed + 4 * 2 * 10 * spilled)
        try study.holdResumed(resumed, file: "checkpoint.hpmc")
        #expect(study.spillBytesPerWorker == 10 * spilled - spilled / 2)
        try study.checkMemory(available: needed + 4 * 2 * (spilled / 2))
        let error = #expect(throws: ArchiveError.self) { try study.holdResumed(resumed, file: "checkpoint.hpmc") }
        #expect(error?.file == "checkpoint.hpmc" && error?.problem.contains("resume it with more memory") == true, "\(String(describing: error))")
        try study.checkMemory(available: nil)
        try study.holdResumed(resumed, file: "checkpoint.hpmc")
        #expect(study.spillBytesPerWorker == nil)
    }

    /// A comparison's worker holds four bands: their spills together count against its share.
    @Test func aComparisonStopsAlike() throws {
        var comparison = try PairedComparison(a: heavyTailedSetup(sigma: 2), b: heavyTailedSetup(sigma: 3), settings: Self.settings)
        let needed = 2 * comparison.bytesPerWorker + comparison.layouts.reduce(0) { $0 + $1.binByteCount }
        try comparison.checkMemory(available: needed + 4 * 2 * Self.share)
        var reported = 0
        let error = #expect(throws: RunMemoryError.self) { try comparison.run { _ in reported += 1 } }
        guard case .spilled(let shortage) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reported == 0 && shortage.bytesPerWorker == Self.share)
        #expect(["A's ", "B's ", "B − A of ", "B / A of "].contains { shortage.series.hasPrefix($0) }, "\(shortage.series)")
        try comparison.checkMemory(available: nil)
        #expect(try comparison.run().statistics.count == 4)
    }
}
