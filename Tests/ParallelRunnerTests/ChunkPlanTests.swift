import Testing
@testable import ParallelRunner

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

/// The memory a run may use: the control group's limit when it names one.
@Suite struct MemoryLimitTests {
    @Test func cgroupLimitsAreReadForBothVersions() {
        let files = ["/sys/fs/cgroup/job/memory.max": "8589934592\n",
                     "/sys/fs/cgroup/free/memory.max": "max\n",
                     "/sys/fs/cgroup/memory/slurm/job_7/memory.limit_in_bytes": "4294967296\n",
                     "/sys/fs/cgroup/memory/user/memory.limit_in_bytes": "9223372036854771712\n"]
        func limit(_ membership: String?) -> Int? { cgroupMemoryLimit(membership: membership) { files[$0] } }
        #expect(limit("0::/job\n") == 8_589_934_592)
        #expect(limit("0::/free\n") == nil)
        #expect(limit("4:memory:/slurm/job_7\n0::/\n") == 4_294_967_296)
        #expect(limit("11:cpu,memory:/slurm/job_7\n") == 4_294_967_296)
        #expect(limit("4:memory:/user\n") == nil)
        #expect(limit("0::/missing\n") == nil && limit(nil) == nil)
    }

    @Test func thisMachineReportsSomeMemory() {
        let bytes = usableMemoryBytes()
        #expect(bytes.map { $0 > 1 << 26 } ?? true)
    }
}
