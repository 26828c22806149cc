import ParallelRunner

/// Evaluates the model at every point of `rows` (all rows by default) on `threads` workers.
///
/// Rows are split into fixed chunks of about `pointsPerChunk` points; each chunk's points depend only on
/// its rows and its outputs land at their evaluation index, so the result is bit-identical for any
/// thread count or chunk size. `makeEvaluator(worker)` runs on the calling thread, once per worker.
/// `progress(completed, total)` counts evaluations and runs on the calling thread between rounds.
/// Returns outputs indexed by evaluation − rows.lowerBound · pointsPerRow, output-major when the
/// evaluator has several outputs per point: output o of that evaluation at o · rows.count · pointsPerRow + it.
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
    guard total > 0 else { return [] }
    // More workers than chunks would only be idle (and each has its evaluator and scratch).
    let threads = min(threads, plan.chunkCount)
    let evaluators = (0..<threads).map(makeEvaluator)
    let outputsPerPoint = evaluators[0].outputsPerPoint
    let (outputCount, overflow) = total.multipliedReportingOverflow(by: outputsPerPoint)
    guard !overflow, outputCount <= maximumEvaluations else {
        throw .tooManyOutputs(evaluations: total, outputsPerPoint: outputsPerPoint, maximum: maximumEvaluations)
    }
    var outputs = [Double](repeating: .nan, count: outputCount)
    let pointCount = rowsPerChunk * pointsPerRow
    outputs.withUnsafeMutableBufferPointer { buffer in
        let sink = OutputSink(base: buffer.baseAddress!)
        _ = runChunks(
            0..<plan.chunkCount, threads: threads, roundSize: 8 * threads,
            makeWorker: { EvaluationWorker(evaluator: evaluators[$0], pointCount: pointCount, dimensions: design.dimensions) },
            body: { worker, chunk in
                let local = plan.samples(inChunk: chunk)
                let chunkRows = (rows.lowerBound + local.lowerBound)..<(rows.lowerBound + local.upperBound)
                let count = local.count * pointsPerRow
                worker.run(design, rows: chunkRows, count: count)
                worker.outputs.withUnsafeBufferPointer { chunkOutputs in
                    for o in 0..<outputsPerPoint {
                        (sink.base + o * total + local.lowerBound * pointsPerRow)
                            .update(from: chunkOutputs.baseAddress! + o * count, count: count)
                    }
                }
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

/// One worker's evaluator, point and output buffers, allocated once and reused for every chunk.
private struct EvaluationWorker<Evaluator: BatchEvaluator>: Sendable {
    var evaluator: Evaluator
    var points: [Double]
    var outputs: [Double]

    init(evaluator: Evaluator, pointCount: Int, dimensions: Int) {
        self.evaluator = evaluator
        points = [Double](repeating: 0, count: dimensions * pointCount)
        outputs = [Double](repeating: 0, count: evaluator.outputsPerPoint * pointCount)
    }

    /// Evaluates the `count` points of `rows` into `outputs`, output-major.
    mutating func run<Design: SensitivityDesign>(_ design: Design, rows: Range<Int>, count: Int) {
        // Moved out while in use so the evaluator can be mutated alongside; swapping never copies.
        var points: [Double] = [], outputs: [Double] = []
        swap(&points, &self.points)
        swap(&outputs, &self.outputs)
        defer {
            swap(&points, &self.points)
            swap(&outputs, &self.outputs)
        }
        let outputCount = evaluator.outputsPerPoint * count
        points.withUnsafeMutableBufferPointer { buffer in
            outputs.withUnsafeMutableBufferPointer { outputBuffer in
                let used = UnsafeMutableBufferPointer(rebasing: buffer[0..<(design.dimensions * count)])
                design.fill(rows: rows, into: used)
                evaluator.evaluate(points: UnsafeBufferPointer(used), count: count,
                                   into: UnsafeMutableBufferPointer(rebasing: outputBuffer[0..<outputCount]))
            }
        }
    }
}

/// `evaluateDesign`'s output-major outputs split into one slice per output (sharing their storage: with
/// many outputs, copies would cost as much memory again).
func outputsByOutput(_ outputs: [Double], evaluations: Int) -> [ArraySlice<Double>] {
    guard evaluations > 0 else { return [] }
    return stride(from: 0, to: outputs.count, by: evaluations).map { outputs[$0..<($0 + evaluations)] }
}
