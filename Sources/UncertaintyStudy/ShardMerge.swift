import ParallelRunner

/// Checks that a set of shard files make up one whole study and merges them.
public enum ShardMerge {
    /// The merged state and the first archive (its manifest and scenario, shared by all).
    /// Shards are read one at a time and folded in, so memory holds one shard and the running sum.
    public static func merge(_ paths: [String], read: (String) throws(ArchiveError) -> StudyArchive) throws(ArchiveError) -> (first: StudyArchive, state: StudyState) {
        guard let firstPath = paths.first else { throw ArchiveError(file: "merge", problem: "no shard files given") }
        let first = try read(firstPath)
        let reference = first.manifest
        let fields: [(String, (StudyArchive.Manifest) -> String)] = [
            ("hpmc version", { $0.hpmc }), ("scenario SHA-256", { $0.scenarioSHA256 }), ("seed", { String($0.seed) }),
            ("sample count", { String($0.samples) }), ("sampler", { $0.sampler }), ("chunk size", { String($0.chunkSize) }),
            ("shard count", { String($0.shardCount) }),
        ]
        var seen: [Int: String] = [:]
        var state = try first.state()
        for (index, path) in paths.enumerated() {
            let archive = index == 0 ? first : try read(path)
            let manifest = archive.manifest
            for (name, value) in fields where value(manifest) != value(reference) {
                throw ArchiveError(file: path, problem: "\(name) \(value(manifest)) differs from \(value(reference)) in \(firstPath): shards of different studies")
            }
            guard manifest.isComplete else {
                throw ArchiveError(file: path, problem: "an unfinished run (chunks \(manifest.chunkStart)..<\(manifest.completedThrough) of ..<\(manifest.chunkEnd)): resume it first")
            }
            if let other = seen[manifest.shard] {
                throw ArchiveError(file: path, problem: "shard \(manifest.shard) of \(manifest.shardCount) is given twice (also \(other))")
            }
            seen[manifest.shard] = path
            let plan = ChunkPlan(sampleCount: manifest.samples, chunkSize: manifest.chunkSize)
            let expected = plan.chunks(shard: manifest.shard, of: manifest.shardCount)
            guard manifest.shard < manifest.shardCount, expected == manifest.chunkStart..<manifest.chunkEnd else {
                throw ArchiveError(file: path, problem: "its chunk range does not match shard \(manifest.shard) of \(manifest.shardCount)")
            }
            if index > 0 { try archive.merge(into: &state) }
        }
        let missing = (0..<reference.shardCount).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw ArchiveError(file: "merge", problem: "missing shard\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) of \(reference.shardCount)")
        }
        state.chunks = 0..<ChunkPlan(sampleCount: reference.samples, chunkSize: reference.chunkSize).chunkCount
        return (first, state)
    }
}
