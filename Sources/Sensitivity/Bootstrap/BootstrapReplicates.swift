import ParallelRunner
import RandomStreams

/// Replicates drawn and computed together: the statistics read each row's outputs once for all of them.
let replicatesPerBatch = 8

/// Standard deviations (n − 1 divisor) over `resamples` bootstrap replicates of `statisticCount`
/// statistics, each replicate computed on `rowCount` row indices drawn with replacement.
///
/// Replicate b draws its rows from `stream` at indices b · ⌈rowCount/2⌉ …, two rows per Philox block, so
/// replicates are reproducible one by one and the result does not depend on `threads`. Replicates come
/// in batches of `replicatesPerBatch` (fewer in the last) as counts: `statistic(counts, replicates, out)`
/// gets how often replicate j of the batch drew row r at `counts[r * replicates + j]` and writes its
/// statistics to `out[j * statisticCount ..< (j + 1) * statisticCount]` (zeroed on entry). A statistic that sums over
/// rows in ascending order, a drawn row as often as drawn, reads the design's outputs front to back
/// and once per batch instead of at random once per replicate.
func bootstrapStandardDeviations(
    rowCount: Int, statisticCount: Int, resamples: Int, stream: CounterStream, threads: Int,
    statistic: @escaping @Sendable (_ counts: UnsafeBufferPointer<UInt32>, _ replicates: Int, _ out: UnsafeMutableBufferPointer<Double>) -> Void
) -> [Double] {
    var replicates = [Double](repeating: 0, count: resamples * statisticCount)
    let batches = (resamples + replicatesPerBatch - 1) / replicatesPerBatch
    replicates.withUnsafeMutableBufferPointer { buffer in
        let sink = ReplicateSink(base: buffer.baseAddress!)
        let blocksPerReplicate = UInt64((rowCount + 1) / 2)
        _ = runChunks(
            // More workers than batches would only be idle (and each costs memory).
            0..<batches, threads: min(threads, max(1, batches)), roundSize: max(1, batches),
            makeWorker: { _ in ResampleWorker(counts: [UInt32](repeating: 0, count: rowCount * replicatesPerBatch)) },
            body: { worker, batch in
                let firstReplicate = batch * replicatesPerBatch
                let size = min(replicatesPerBatch, resamples - firstReplicate)
                let scale = Double(rowCount)
                worker.counts.withUnsafeMutableBufferPointer { counts in
                    let used = UnsafeMutableBufferPointer(rebasing: counts[0..<(rowCount * size)])
                    used.update(repeating: 0)
                    for j in 0..<size {
                        let first = UInt64(firstReplicate + j) * blocksPerReplicate
                        for block in 0..<Int(blocksPerReplicate) {
                            let (u, v) = stream.uniformPair(at: first + UInt64(block))
                            used[min(Int(u * scale), rowCount - 1) * size + j] += 1
                            if 2 * block + 1 < rowCount { used[min(Int(v * scale), rowCount - 1) * size + j] += 1 }
                        }
                    }
                    let out = UnsafeMutableBufferPointer(start: sink.base + firstReplicate * statisticCount, count: size * statisticCount)
                    statistic(UnsafeBufferPointer(used), size, out)
                }
            },
            afterRound: { _, _ in })
    }
    return (0..<statisticCount).map { s in
        let values = stride(from: s, to: replicates.count, by: statisticCount).map { replicates[$0] }
        let mean = values.reduce(0, +) / Double(resamples)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(resamples - 1)).squareRoot()
    }
}

/// Unchecked: replicate b writes only its own `statisticCount` slots; the array outlives `runChunks`.
private struct ReplicateSink: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

private struct ResampleWorker: Sendable {
    /// How often each replicate of a batch drew each row.
    var counts: [UInt32]
}
