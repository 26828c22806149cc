/// Fixed-size chunks of a sample range: chunk `c` holds samples `c·chunkSize ..< (c+1)·chunkSize`,
/// the last one possibly shorter. The plan depends only on the two sizes, never on thread counts,
/// so results keyed by chunk are reproducible on any machine.
public struct ChunkPlan: Sendable, Equatable {
    /// Total number of samples.
    public let sampleCount: Int
    /// Samples per chunk (the last chunk may hold fewer).
    public let chunkSize: Int

    /// `sampleCount >= 0`, `chunkSize >= 1`.
    public init(sampleCount: Int, chunkSize: Int) {
        precondition(sampleCount >= 0, "sampleCount must not be negative")
        precondition(chunkSize >= 1, "chunkSize must be positive")
        self.sampleCount = sampleCount
        self.chunkSize = chunkSize
    }

    /// Number of chunks, ⌈sampleCount / chunkSize⌉.
    public var chunkCount: Int { sampleCount / chunkSize + (sampleCount % chunkSize == 0 ? 0 : 1) }

    /// The samples of one chunk.
    public func samples(inChunk chunk: Int) -> Range<Int> {
        precondition(chunk >= 0 && chunk < chunkCount, "chunk \(chunk) outside 0..<\(chunkCount)")
        let start = chunk * chunkSize
        return start..<min(start + chunkSize, sampleCount)
    }

    /// The contiguous chunks of shard `shard` (0-based) of `shardCount`: shards partition all chunks in
    /// order, their sizes differing by at most one.
    public func chunks(shard: Int, of shardCount: Int) -> Range<Int> {
        precondition(shardCount >= 1 && shard >= 0 && shard < shardCount, "shard \(shard) outside 0..<\(shardCount)")
        func boundary(_ index: Int) -> Int { Int(Int128(chunkCount) * Int128(index) / Int128(shardCount)) }
        return boundary(shard)..<boundary(shard + 1)
    }
}
