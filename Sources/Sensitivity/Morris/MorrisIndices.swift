import RandomStreams

/// Morris elementary-effect statistics per factor.
///
/// An elementary effect is (f(after) − f(before)) / (±step), the change of the output per unit change
/// of the moved coordinates u in (0, 1), signed by the move's direction.
public struct MorrisIndices: Sendable {
    /// Factor names: inputs, or groups.
    public let names: [String]
    /// Mean elementary effect μ.
    public let mu: [Double]
    /// Mean absolute elementary effect μ* (Campolongo, Cariboni and Saltelli 2007).
    public let muStar: [Double]
    /// Bootstrap half-width of μ* at `confidenceLevel` (see `BootstrapOptions`), resampling trajectories.
    public let muStarConf: [Double]
    /// Standard deviation (n − 1 divisor) of the elementary effects.
    public let sigma: [Double]
    /// Number of trajectories r.
    public let trajectories: Int
    /// Model evaluations used, r (k + 1).
    public let evaluations: Int
    /// Confidence level of `muStarConf`.
    public let confidenceLevel: Double
}

extension MorrisIndices {
    /// Analyses `outputs` (one per evaluation of `design`, in its order).
    public init(design: MorrisDesign, outputs: [Double], bootstrap: BootstrapOptions = BootstrapOptions(),
                threads: Int = 1) throws(SensitivityError) {
        try bootstrap.validate()
        try checkAnalysisInputs(design, outputs: outputs, threads: threads)

        let k = design.factorCount, r = design.trajectories, stride = design.pointsPerRow
        // effects[t * k + g]: the elementary effect of factor g on trajectory t.
        var effects = [Double](repeating: 0, count: r * k)
        design.withTrajectoryScratch { levels, order, directions in
            for t in 0..<r {
                design.walk(trajectory: t, startLevels: levels, order: order, directions: directions)
                for s in 1...k {
                    let g = order[s - 1]
                    let change = outputs[t * stride + s] - outputs[t * stride + s - 1]
                    effects[t * k + g] = change / (Double(directions[g]) * design.step)
                }
            }
        }

        var mu = [Double](repeating: 0, count: k), muStar = mu, sigma = mu
        for g in 0..<k {
            let column = Swift.stride(from: g, to: effects.count, by: k).map { effects[$0] }
            mu[g] = column.reduce(0, +) / Double(r)
            muStar[g] = column.reduce(0) { $0 + abs($1) } / Double(r)
            sigma[g] = (column.reduce(0) { $0 + ($1 - mu[g]) * ($1 - mu[g]) } / Double(r - 1)).squareRoot()
        }

        let stream = CounterStream(seed: design.seed, stream: streamKey("hpmc.sensitivity.morris.bootstrap"))
        let sampledEffects = effects
        let spread = bootstrapStandardDeviations(
            rowCount: r, statisticCount: k, resamples: bootstrap.resamples, stream: stream, threads: threads,
            statistic: { counts, replicates, out in
                for t in 0..<r {
                    for j in 0..<replicates {
                        for _ in 0..<counts[t * replicates + j] {
                            for g in 0..<k { out[j * k + g] += abs(sampledEffects[t * k + g]) }
                        }
                    }
                }
                for g in 0..<(replicates * k) { out[g] /= Double(r) }
            })
        let z = bootstrap.zScore

        names = design.names
        self.mu = mu
        self.muStar = muStar
        muStarConf = spread.map { z * $0 }
        self.sigma = sigma
        trajectories = r
        evaluations = outputs.count
        confidenceLevel = bootstrap.confidenceLevel
    }
}

/// Samples `design`, evaluates the model on `threads` workers and analyses the outputs.
public func morrisIndices<Evaluator: BatchEvaluator>(
    _ design: MorrisDesign, threads: Int, bootstrap: BootstrapOptions = BootstrapOptions(),
    pointsPerChunk: Int = 1024, progress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
    makeEvaluator: (_ worker: Int) -> Evaluator
) throws(SensitivityError) -> MorrisIndices {
    try bootstrap.validate()
    let outputs = try evaluateDesign(design, threads: threads, pointsPerChunk: pointsPerChunk,
                                     progress: progress, makeEvaluator: makeEvaluator)
    return try MorrisIndices(design: design, outputs: outputs, bootstrap: bootstrap, threads: threads)
}

/// Samples `design`, evaluates the model once per point and analyses each of the evaluator's outputs
/// on its own: entry o equals, bit for bit, `morrisIndices` with an evaluator that reports output o alone.
public func morrisIndicesPerOutput<Evaluator: BatchEvaluator>(
    _ design: MorrisDesign, threads: Int, bootstrap: BootstrapOptions = BootstrapOptions(),
    pointsPerChunk: Int = 1024, progress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
    makeEvaluator: (_ worker: Int) -> Evaluator
) throws(SensitivityError) -> [MorrisIndices] {
    try bootstrap.validate()
    let outputs = try evaluateDesign(design, threads: threads, pointsPerChunk: pointsPerChunk,
                                     progress: progress, makeEvaluator: makeEvaluator)
    var indices: [MorrisIndices] = []
    for column in outputsByOutput(outputs, evaluations: design.evaluations).map(Array.init) {
        indices.append(try MorrisIndices(design: design, outputs: column, bootstrap: bootstrap, threads: threads))
    }
    return indices
}
