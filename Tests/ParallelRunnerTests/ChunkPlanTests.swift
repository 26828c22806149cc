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
