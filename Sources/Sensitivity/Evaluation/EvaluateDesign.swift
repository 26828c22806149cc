import ParallelRunner

/// Evaluates the model at every point of `rows` (all rows by default) on `threads` workers.
///
/// Rows are split into fixed chunks of about `pointsPerChunk` points; each chunk's points depend only on
/// its rows and its outputs land at their evaluation index, so the result is bit-identical for any
/// thread count or chunk size. `makeEvaluator(worker)` runs on the calling thread, once per worker.
/// `progress(completed, total)` counts evaluations and runs on the calling thread between rounds.
/// Returns outputs indexed by evaluation − rows.lowerBound · pointsPerRow.
public func evaluateDesign<Design: SensitivityDesign, Evaluator: BatchEvaluator>(
    _ design: Design,
    rows: Range<Int>? = nil,
    threads: Int,
    pointsPerChunk: Int = 1024,
    progress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
    makeEvaluator: (_ worker: Int) -> Evaluator
) throws(SensitivityError) -> [Double] {
    guard threads >= 1 else { throw .invalidThreadCount(threads) }
    let rows = rows ?? 0..<design.rowCount
    guard rows.lowerBound >= 0, rows.upperBound <= design.rowCount else {
        throw .rowsOutOfRange(rows, rowCount: design.rowCount)
    }
    let pointsPerRow = design.pointsPerRow
    let rowsPerChunk = max(1, pointsPerChunk / pointsPerRow)
    let plan = ChunkPlan(sampleCount: rows.count, chunkSize: rowsPerChunk)
    let total = rows.count * pointsPerRow
    var outputs = [Double](repeating: .nan, count: total)
    guard total > 0 else { return outputs }
    let scratchCount = design.dimensions * rowsPerChunk * pointsPerRow
    // More workers than chunks would only be idle (and each has its evaluator and scratch).
    let threads = min(threads, plan.chunkCount)
    outputs.withUnsafeMutableBufferPointer { buffer in
        let sink = OutputSink(base: buffer.baseAddress!)
        _ = runChunks(
            0..<plan.chunkCount, threads: threads, roundSize: 8 * threads,
            makeWorker: { EvaluationWorker(evaluator: makeEvaluator($0), scratchCount: scratchCount) },
            body: { worker, chunk in
                let local = plan.samples(inChunk: chunk)
                let chunkRows = (rows.lowerBound + local.lowerBound)..<(rows.lowerBound + local.upperBound)
                let count = local.count * pointsPerRow
                let outputs = UnsafeMutableBufferPointer(start: sink.base + local.lowerBound * pointsPerRow, count: count)
                worker.run(design, rows: chunkRows, count: count, into: outputs)
            },
            afterRound: { done, _ in
                progress?(plan.samples(inChunk: done.upperBound - 1).upperBound * pointsPerRow, total)
            })
    }
    return outputs
}

/// The shared output array. Unchecked: every chunk writes its own disjoint range, and the array outlives
/// `runChunks`, which waits for all writes.
private struct OutputSink: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

/// One worker's evaluator and point buffer, allocated once and reused for every chunk.
private struct EvaluationWorker<Evaluator: BatchEvaluator>: Sendable {
    var evaluator: Evaluator
    var points: [Double]

    init(evaluator: Evaluator, scratchCount: Int) {
        self.evaluator = evaluator
        points = [Double](repeating: 0, count: scratchCount)
    }

    mutating func run<Design: SensitivityDesign>(_ design: Design, rows: Range<Int>, count: Int,
                                                 into outputs: UnsafeMutableBufferPointer<Double>) {
        // Moved out while in use so the evaluator can be mutated alongside; swapping never copies.
        var points: [Double] = []
        swap(&points, &self.points)
        defer { swap(&points, &self.points) }
        points.withUnsafeMutableBufferPointer { buffer in
            let used = UnsafeMutableBufferPointer(rebasing: buffer[0..<(design.dimensions * count)])
            design.fill(rows: rows, into: used)
            evaluator.evaluate(points: UnsafeBufferPointer(used), count: count, into: outputs)
        }
    }
}
