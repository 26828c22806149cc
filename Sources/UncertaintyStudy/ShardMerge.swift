import ParallelRunner
import StreamingStatistics

/// Checks that a set of shard files make up one whole study and merges them.
public enum ShardMerge {
    /// How many missing shards a refused merge names.
    static let listedMissingShards = 20

    /// The merged state and the first archive (its manifest and scenario, shared by all; its order
    /// of the targets is the merged state's).
    ///
    /// `threads` workers each read one file at a time and fold it into a running sum of their own;
    /// the sums are added at the end (exact, so the result never depends on `threads`). A problem
    /// is reported for the first file, in the given order, that has one, as a serial pass would.
    public static func merge(_ paths: [String], threads: Int = 1,
                             read: @Sendable (String) throws(ArchiveError) -> StudyArchive) throws(ArchiveError) -> (first: StudyArchive, state: StudyState) {
        guard let firstPath = paths.first else { throw ArchiveError(file: "merge", problem: "no shard files given") }
        let first = try read(firstPath)
        let reference = first.manifest
        var state = try first.state()
        let layouts = (statistics: state.statistics.layout, convergence: state.convergence.map(\.layout)), targetCount = state.targets.count
        let rest = 1..<paths.count
        let workers = try runChunks(rest, threads: min(max(1, threads), max(1, rest.count)), roundSize: max(1, rest.count),
                                makeWorker: { _ throws(ArchiveError) in
                                    // Each worker's bins its own, so none is copied at its first count.
                                    do {
                                        return Worker(state: StudyState(statistics: try StatisticsAccumulator(layout: layouts.statistics),
                                                                        convergence: try layouts.convergence.map { layout throws(BinAllocationError) in try StatisticsAccumulator(layout: layout) },
                                                                        targets: Array(repeating: TargetCount(), count: targetCount), chunks: 0..<0))
                                    } catch {
                                        throw ArchiveError(file: "merge", problem: "\(error)")
                                    }
                                },
                                body: { worker, index in worker.add(paths[index], index: index, reference: reference, firstPath: firstPath, read: read) },
                                afterRound: { _, _ in })
        var findings = Findings()
        findings.record(index: 0, path: firstPath, checking: reference, against: reference, firstPath: firstPath)
        for worker in workers { findings.absorb(worker.findings) }
        try findings.firstProblem(paths: paths, shardCount: reference.shardCount)
        for worker in workers { state.merge(worker.state) }
        // Every recorded shard is a distinct index below the count, so the count of missing ones
        // needs no pass over all indices (a shard count may be as large as 2^63 - 1).
        let missingCount = reference.shardCount - findings.shards.count
        guard missingCount == 0 else {
            let listed = Array((0..<reference.shardCount).lazy.filter { findings.shards[$0] == nil }.prefix(listedMissingShards).map(String.init))
            let more = missingCount > listed.count ? " and \(missingCount - listed.count) more" : ""
            throw ArchiveError(file: "merge", problem: "missing shard\(missingCount > 1 ? "s" : "") \(listed.joined(separator: ", "))\(more) of \(reference.shardCount)")
        }
        state.chunks = 0..<ChunkPlan(sampleCount: reference.samples, chunkSize: reference.chunkSize).chunkCount
        return (first, state)
    }

    /// One thread's running sum and what it found in its files.
    struct Worker: Sendable {
        var state: StudyState
        var findings = Findings()

        mutating func add(_ path: String, index: Int, reference: StudyArchive.Manifest, firstPath: String,
                          read: (String) throws(ArchiveError) -> StudyArchive) {
            let archive: StudyArchive
            do {
                archive = try read(path)
            } catch {
                return findings.beforeDuplicateCheck[index] = error
            }
            guard findings.record(index: index, path: path, checking: archive.manifest, against: reference, firstPath: firstPath) else { return }
            do {
                try archive.merge(into: &state, targetOrder: reference.targets)
            } catch {
                findings.afterDuplicateCheck[index] = error
            }
        }
    }

    /// Per file (by index): the shard it holds, and the problems found before and after the
    /// duplicate check, which needs every file's shard and so runs once all are read.
    struct Findings: Sendable {
        var shards: [Int: Int] = [:]
        var shardOfIndex: [Int: Int] = [:]
        var beforeDuplicateCheck: [Int: ArchiveError] = [:]
        var afterDuplicateCheck: [Int: ArchiveError] = [:]

        static let fields: [(String, @Sendable (StudyArchive.Manifest) -> String)] = [
            ("hpmc version", { $0.hpmc }), ("scenario SHA-256", { $0.scenarioSHA256 }), ("seed", { String($0.seed) }),
            ("sample count", { String($0.samples) }), ("sampler", { $0.sampler }), ("chunk size", { String($0.chunkSize) }),
            ("shard count", { String($0.shardCount) }), ("target list", { $0.targets.isEmpty ? "(none)" : $0.targets.sorted().map { "'\($0)'" }.joined(separator: ", ") }),
            ("focus", { ($0.focus ?? .all).description }),
        ]

        /// Checks one manifest; true when the file may be merged.
        @discardableResult
        mutating func record(index: Int, path: String, checking manifest: StudyArchive.Manifest,
                             against reference: StudyArchive.Manifest, firstPath: String) -> Bool {
            if let (name, value, other) = manifest.studyDifference(from: reference) {
                beforeDuplicateCheck[index] = ArchiveError(file: path, problem: "\(name) \(value) differs from \(other) in \(firstPath): shards of different studies")
                return false
            }
            guard manifest.isComplete else {
                beforeDuplicateCheck[index] = ArchiveError(file: path, problem: "an unfinished run (chunks \(manifest.chunkStart)..<\(manifest.completedThrough) of ..<\(manifest.chunkEnd)): resume it first")
                return false
            }
            // Reading the file checked its chunk range against its shard (`Manifest.checkRanges`).
            shardOfIndex[index] = manifest.shard
            return true
        }

        mutating func absorb(_ other: Findings) {
            shardOfIndex.merge(other.shardOfIndex) { a, _ in a }
            beforeDuplicateCheck.merge(other.beforeDuplicateCheck) { a, _ in a }
            afterDuplicateCheck.merge(other.afterDuplicateCheck) { a, _ in a }
        }

        /// Throws the problem a serial pass over `paths` would have met first; fills `shards`.
        mutating func firstProblem(paths: [String], shardCount: Int) throws(ArchiveError) {
            for (index, path) in paths.enumerated() {
                if let error = beforeDuplicateCheck[index] { throw error }
                if let shard = shardOfIndex[index] {
                    if let other = shards[shard] {
                        throw ArchiveError(file: path, problem: "shard \(shard) of \(shardCount) is given twice (also \(paths[other]))")
                    }
                    shards[shard] = index
                }
                if let error = afterDuplicateCheck[index] { throw error }
            }
        }
    }
}

extension StudyArchive.Manifest {
    /// The first field of the study (and shard count) in which this manifest differs from `other`:
    /// its name, this manifest's value and the other's; nil when the studies are the same.
    public func studyDifference(from other: Self) -> (field: String, value: String, other: String)? {
        ShardMerge.Findings.fields.lazy.filter { $0.1(self) != $0.1(other) }.first.map { ($0.0, $0.1(self), $0.1(other)) }
    }
}
