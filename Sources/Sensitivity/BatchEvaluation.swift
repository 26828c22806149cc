import ParallelRunner

/// A model evaluated on points of the unit hypercube, a batch at a time. One instance per worker
/// (it may own scratch memory); the caller maps uniforms through its own inverse CDFs.
public protocol BatchEvaluator {
    /// `points` is dimension-major: coordinate d of point i at `points[d * count + i]`, in (0, 1).
    mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>)
}

public struct SensitivityError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Where the evaluated outputs go: each chunk writes its own disjoint range.
private struct OutputSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

/// Evaluates every point of a design (dimension-major over all points) in parallel chunks. Each
/// chunk's outputs depend only on its points, so the result is the same for any thread count.
func evaluateDesign<Evaluator: BatchEvaluator>(
    _ design: [Double], dimensions: Int, threads: Int, makeEvaluator: (Int) -> Evaluator,
    progress: (Int, Int) -> Void
) -> [Double] {
    let total = dimensions == 0 ? 0 : design.count / dimensions
    let chunkSize = 1024
    let plan = ChunkPlan(sampleCount: total, chunkSize: chunkSize)
    var outputs = [Double](repeating: .nan, count: total)
    outputs.withUnsafeMutableBufferPointer { buffer in
        let slots = OutputSlots(base: buffer.baseAddress!)
        let points = design
        _ = runChunks(0..<plan.chunkCount, threads: max(1, threads), roundSize: max(4 * threads, 16),
                      makeWorker: { EvaluatorBox(evaluator: makeEvaluator($0), scratch: [Double](repeating: 0, count: dimensions * chunkSize)) },
                      body: { worker, chunk in
                          let range = plan.samples(inChunk: chunk)
                          let n = range.count
                          for d in 0..<dimensions {
                              for i in 0..<n { worker.scratch[d * n + i] = points[(range.lowerBound + i) * dimensions + d] }
                          }
                          worker.scratch.withUnsafeBufferPointer { p in
                              worker.evaluator.evaluate(points: UnsafeBufferPointer(rebasing: p[0..<(dimensions * n)]), count: n,
                                                        into: UnsafeMutableBufferPointer(start: slots.base + range.lowerBound, count: n))
                          }
                      },
                      afterRound: { round, _ in progress(min(round.upperBound * chunkSize, total), total) })
    }
    return outputs
}

/// One worker's evaluator; used only by the thread that owns it.
private struct EvaluatorBox<Evaluator: BatchEvaluator>: @unchecked Sendable {
    var evaluator: Evaluator
    var scratch: [Double]
}
