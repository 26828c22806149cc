import ParallelRunner
import RandomStreams

/// Standard deviations (n − 1 divisor) over `resamples` bootstrap replicates of `statisticCount`
/// statistics, each replicate computed on `rowCount` row indices drawn with replacement.
///
/// Replicate b draws its rows from `stream` at indices b · ⌈rowCount/2⌉ …, two rows per Philox block, so
/// replicates are reproducible one by one and the result does not depend on `threads`.
/// `statistic(rows, out)` writes the replicate's statistics into `out` (which it may use as accumulators:
/// it arrives zeroed).
func bootstrapStandardDeviations(
    rowCount: Int, statisticCount: Int, resamples: Int, stream: CounterStream, threads: Int,
    statistic: @escaping @Sendable (_ rows: UnsafeBufferPointer<Int>, _ out: UnsafeMutableBufferPointer<Double>) -> Void
) -> [Double] {
    var replicates = [Double](repeating: 0, count: resamples * statisticCount)
    replicates.withUnsafeMutableBufferPointer { buffer in
        let sink = ReplicateSink(base: buffer.baseAddress!)
        let blocksPerReplicate = UInt64((rowCount + 1) / 2)
        _ = runChunks(
            // More workers than replicates would only be idle (and each costs memory).
            0..<resamples, threads: min(threads, max(1, resamples)), roundSize: resamples,
            makeWorker: { _ in ResampleWorker(rows: [Int](repeating: 0, count: rowCount)) },
            body: { worker, replicate in
                let first = UInt64(replicate) * blocksPerReplicate
                let scale = Double(rowCount)
                worker.rows.withUnsafeMutableBufferPointer { rows in
                    for block in 0..<Int(blocksPerReplicate) {
                        let (u, v) = stream.uniformPair(at: first + UInt64(block))
                        rows[2 * block] = min(Int(u * scale), rowCount - 1)
                        if 2 * block + 1 < rowCount { rows[2 * block + 1] = min(Int(v * scale), rowCount - 1) }
                    }
                    let out = UnsafeMutableBufferPointer(start: sink.base + replicate * statisticCount, count: statisticCount)
                    statistic(UnsafeBufferPointer(rows), out)
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
    var rows: [Int]
}
