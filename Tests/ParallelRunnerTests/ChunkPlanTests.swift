import Testing
import ParallelRunner

@Suite struct ChunkPlanTests {
    @Test(arguments: [(10_000, 1024), (4096, 1024), (1, 1024), (0, 8), (97, 1)])
    func chunksTileTheSamples(sampleCount: Int, chunkSize: Int) {
        let plan = ChunkPlan(sampleCount: sampleCount, chunkSize: chunkSize)
        #expect(plan.chunkCount == (sampleCount + chunkSize - 1) / chunkSize)
        var next = 0
        for chunk in 0..<plan.chunkCount {
            let samples = plan.samples(inChunk: chunk)
            #expect(samples.lowerBound == next && !samples.isEmpty && samples.count <= chunkSize)
            next = samples.upperBound
        }
        #expect(next == sampleCount)
    }

    @Test func lastChunkIsShorter() {
        let plan = ChunkPlan(sampleCount: 10_000, chunkSize: 1024)
        #expect(plan.chunkCount == 10)
        #expect(plan.samples(inChunk: 9) == 9216..<10_000)
    }

    @Test(arguments: [0, 1, 7, 10, 97], [1, 2, 3, 7, 13])
    func shardsPartitionTheChunksEvenly(chunkCount: Int, shardCount: Int) {
        let plan = ChunkPlan(sampleCount: chunkCount * 5, chunkSize: 5)
        let shards = (0..<shardCount).map { plan.chunks(shard: $0, of: shardCount) }
        #expect(shards.first?.lowerBound == 0 && shards.last?.upperBound == chunkCount)
        #expect(zip(shards, shards.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        let sizes = shards.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
    }
}

/// The largest plans a study allows (2^27 chunks of 2048) and shard counts beyond the chunks keep
/// the arithmetic exact: shards still tile the chunks and the last sample is the count's.
@Suite struct ChunkPlanBoundsTests {
    @Test(arguments: [1, 3, 1000, 1 << 20, 1 << 28])
    func largestPlanShardsTileTheChunks(shardCount: Int) {
        let plan = ChunkPlan(sampleCount: (1 << 27) * 2048, chunkSize: 2048)
        #expect(plan.chunkCount == 1 << 27)
        #expect(plan.samples(inChunk: plan.chunkCount - 1) == ((1 << 27) - 1) * 2048..<(1 << 27) * 2048)
        #expect(plan.chunks(shard: 0, of: shardCount).lowerBound == 0)
        #expect(plan.chunks(shard: shardCount - 1, of: shardCount).upperBound == 1 << 27)
        for shard in Set([0, shardCount / 2, shardCount - 2]) where shard >= 0 && shard + 1 < shardCount {
            let (this, next) = (plan.chunks(shard: shard, of: shardCount), plan.chunks(shard: shard + 1, of: shardCount))
            #expect(this.upperBound == next.lowerBound && abs(this.count - next.count) <= 1)
        }
    }

    @Test func moreShardsThanChunksGiveEmptyShards() {
        let plan = ChunkPlan(sampleCount: 3 * 2048, chunkSize: 2048)
        let shards = (0..<8).map { plan.chunks(shard: $0, of: 8) }
        #expect(shards.map(\.count).reduce(0, +) == 3)
        #expect(shards.filter(\.isEmpty).count == 5)
    }
}
