import RandomStreams

/// Sobol' sensitivity indices with bootstrap confidence half-widths.
///
/// `*_conf` are half-widths at `confidenceLevel` (see `BootstrapOptions`): the interval is value ± conf.
public struct SobolIndices: Sendable {
    /// Factor names: inputs, or groups.
    public let names: [String]
    /// First-order indices.
    public let S1: [Double]
    public let S1_conf: [Double]
    /// Total-order indices.
    public let ST: [Double]
    public let ST_conf: [Double]
    /// Second-order indices S2[i][j] = S2[j][i] for i ≠ j; the diagonal is NaN. Nil unless requested.
    public let S2: [[Double]]?
    public let S2_conf: [[Double]]?
    /// Model evaluations used.
    public let evaluations: Int
    /// Population variance of the outputs at A and B, the denominator of every index.
    public let variance: Double
    /// Confidence level of the half-widths.
    public let confidenceLevel: Double
}

extension SobolIndices {
    /// Analyses `outputs` (one per evaluation of `design`, in its order), bootstrapping over base rows with
    /// a stream keyed by the design's seed, on `threads` threads (results do not depend on it).
    public init(design: SobolDesign, outputs: [Double], bootstrap: BootstrapOptions = BootstrapOptions(),
                threads: Int = 1) throws(SensitivityError) {
        try checkAnalysisInputs(design, outputs: outputs, bootstrap: bootstrap, threads: threads)

        let estimators = SaltelliEstimators(outputs: outputs, factorCount: design.factorCount, secondOrder: design.secondOrder)
        let n = design.baseSamples
        var point = [Double](repeating: 0, count: estimators.statisticCount)
        let allRows = Array(0..<n)
        let variance = point.withUnsafeMutableBufferPointer { out in
            allRows.withUnsafeBufferPointer { estimators.estimate(rows: $0, into: out) }
        }
        guard variance > 0 else { throw .constantOutput }

        let stream = CounterStream(seed: design.seed, stream: streamKey("hpmc.sensitivity.sobol.bootstrap"))
        let z = bootstrap.zScore
        let spread = bootstrapStandardDeviations(
            rowCount: n, statisticCount: estimators.statisticCount, resamples: bootstrap.resamples,
            stream: stream, threads: threads,
            statistic: { rows, out in estimators.estimate(rows: rows, into: out) })
        let conf = spread.map { z * $0 }

        let k = design.factorCount
        names = design.names
        S1 = Array(point[0..<k])
        S1_conf = Array(conf[0..<k])
        ST = Array(point[k..<(2 * k)])
        ST_conf = Array(conf[k..<(2 * k)])
        S2 = design.secondOrder ? Self.symmetricMatrix(k: k, pairs: point[(2 * k)...]) : nil
        S2_conf = design.secondOrder ? Self.symmetricMatrix(k: k, pairs: conf[(2 * k)...]) : nil
        evaluations = outputs.count
        self.variance = variance
        confidenceLevel = bootstrap.confidenceLevel
    }

    /// Unpacks the pairs i < j (row-major) into a symmetric k × k matrix with a NaN diagonal.
    private static func symmetricMatrix(k: Int, pairs: ArraySlice<Double>) -> [[Double]] {
        var matrix = [[Double]](repeating: [Double](repeating: .nan, count: k), count: k)
        var next = pairs.startIndex
        for i in 0..<k {
            for j in (i + 1)..<k {
                matrix[i][j] = pairs[next]
                matrix[j][i] = pairs[next]
                next += 1
            }
        }
        return matrix
    }
}

/// Samples `design`, evaluates the model on `threads` workers and analyses the outputs.
public func sobolIndices<Evaluator: BatchEvaluator>(
    _ design: SobolDesign, threads: Int, bootstrap: BootstrapOptions = BootstrapOptions(),
    pointsPerChunk: Int = 1024, progress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
    makeEvaluator: (_ worker: Int) -> Evaluator
) throws(SensitivityError) -> SobolIndices {
    try bootstrap.validate()
    let outputs = try evaluateDesign(design, threads: threads, pointsPerChunk: pointsPerChunk,
                                     progress: progress, makeEvaluator: makeEvaluator)
    return try SobolIndices(design: design, outputs: outputs, bootstrap: bootstrap, threads: threads)
}

/// Samples `design`, evaluates the model once per point and analyses each of the evaluator's outputs
/// (such as one series in several years) on its own, with the same bootstrap resamples: entry o equals,
/// bit for bit, `sobolIndices` with an evaluator that reports output o alone.
public func sobolIndicesPerOutput<Evaluator: BatchEvaluator>(
    _ design: SobolDesign, threads: Int, bootstrap: BootstrapOptions = BootstrapOptions(),
    pointsPerChunk: Int = 1024, progress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
    makeEvaluator: (_ worker: Int) -> Evaluator
) throws(SensitivityError) -> [SobolIndices] {
    try bootstrap.validate()
    let outputs = try evaluateDesign(design, threads: threads, pointsPerChunk: pointsPerChunk,
                                     progress: progress, makeEvaluator: makeEvaluator)
    var indices: [SobolIndices] = []
    for column in outputsByOutput(outputs, evaluations: design.evaluations) {
        indices.append(try SobolIndices(design: design, outputs: column, bootstrap: bootstrap, threads: threads))
    }
    return indices
}
