/// A model evaluated on batches of points of the unit hypercube.
///
/// The caller maps each uniform coordinate through its own inverse CDF. One instance serves one worker
/// thread and owns its scratch, so `evaluate` may mutate freely; Sendable because each instance is made
/// on the calling thread and then handed to its worker.
public protocol BatchEvaluator: Sendable {
    /// Outputs of each point (such as one series in several years), at least 1.
    var outputsPerPoint: Int { get }

    /// Writes `outputsPerPoint` outputs per point, output-major: output o of point i at
    /// `outputs[o * count + i]`; `points` is dimension-major, coordinate d of point i at
    /// `points[d * count + i]`, each in (0, 1).
    mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int,
                           into outputs: UnsafeMutableBufferPointer<Double>)
}

extension BatchEvaluator {
    public var outputsPerPoint: Int { 1 }
}
