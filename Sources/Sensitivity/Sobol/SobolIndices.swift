import RandomStreams

/// Sobol' sensitivity indices with confidence half-widths.
///
/// `*_conf` are half-widths at `confidenceLevel` by the method `intervals`: the interval is value ± conf.
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
    /// How the half-widths were estimated.
    public let intervals: SobolIntervals

    /// Confidence level of the half-widths.
    public var confidenceLevel: Double { intervals.confidenceLevel }
}

extension SobolIndices {
    /// Analyses `outputs` (one per evaluation of `design`, in its order); a bootstrap resamples base rows
    /// with a stream keyed by the design's seed, on `threads` threads (results do not depend on it).
    public init(design: SobolDesign, outputs: [Double], intervals: SobolIntervals = .asymptotic(),
                threads: Int = 1) throws(SensitivityError) {
        self = try Self.analyse(design: design, outputs: [outputs[...]], intervals: intervals, threads: threads)[0]
    }

    /// Bytes of bootstrap replicates kept at once; more outputs are bootstrapped in several passes.
    static let replicateBudget = 1 << 28

    /// Analyses each of `outputs` (one array per output, one value per evaluation of `design`) on its own,
    /// in lanes of the estimators that keep each output's arithmetic its own, and every output sees the
    /// same bootstrap resamples: its indices and intervals equal a one-output analysis's bit for bit.
    static func analyse(design: SobolDesign, outputs: [ArraySlice<Double>], intervals: SobolIntervals,
                        threads: Int) throws(SensitivityError) -> [SobolIndices] {
        try intervals.validate()
        for output in outputs { try checkAnalysisInputs(design, outputs: output, threads: threads) }
        let width = SaltelliEstimators.width
        let n = design.baseSamples
        let everyRowOnce = (0..<n).map(UInt32.init)
        // Per block of `width` outputs: the estimates, V and (asymptotic) the sds, each statistic a lane
        // per output. A block holds a centred copy of its outputs: the bootstrap reads every block again,
        // while the asymptotic intervals are done with a block once it is estimated, so it goes then.
        var estimates: [SaltelliEstimators.Lanes] = [], variances: [SaltelliEstimators.Lanes] = []
        var asymptoticDeviations: [SaltelliEstimators.Lanes] = [], kept: [SaltelliEstimators] = []
        var statisticCount = 0
        for first in Swift.stride(from: 0, to: outputs.count, by: width) {
            let block = SaltelliEstimators(outputs: Array(outputs[first..<min(first + width, outputs.count)]),
                                           factorCount: design.factorCount, secondOrder: design.secondOrder)
            statisticCount = block.statisticCount
            var out = [SaltelliEstimators.Lanes](repeating: .zero, count: statisticCount)
            var moments = [SaltelliEstimators.Lanes](repeating: .zero, count: 2)
            everyRowOnce.withUnsafeBufferPointer { rows in
                out.withUnsafeMutableBufferPointer { out in
                    moments.withUnsafeMutableBufferPointer { moments in
                        block.estimate(rows: rows, replicates: 1, into: out, means: UnsafeMutableBufferPointer(rebasing: moments[0...0]),
                                       variances: UnsafeMutableBufferPointer(rebasing: moments[1...1]))
                    }
                }
            }
            estimates += out
            variances.append(moments[1])
            switch intervals {
            case .asymptotic:
                var deviations = [SaltelliEstimators.Lanes](repeating: .zero, count: statisticCount)
                out.withUnsafeBufferPointer { out in
                    deviations.withUnsafeMutableBufferPointer { block.asymptoticDeviations(estimates: out, mean: moments[0], variance: moments[1], into: $0) }
                }
                asymptoticDeviations += deviations
            case .bootstrap:
                kept.append(block)
            }
        }
        guard !outputs.isEmpty else { return [] }
        let point = perOutput(estimates, outputCount: outputs.count, statisticCount: statisticCount)
        let variance = perOutput(variances, outputCount: outputs.count, statisticCount: 1)
        // A spread within 64 ulp of the output's magnitude is rounding noise, not variation (a
        // quantity fixed by construction, computed through inputs that cancel out).
        let constant = variance.indices.filter { o in
            let noise = 64 * outputs[o].reduce(0) { max($0, abs($1)) }.ulp
            return !(variance[o] > noise * noise)
        }
        guard constant.isEmpty else { throw outputs.count == 1 ? .constantOutput : .constantOutputs(constant) }

        let deviations: [Double]
        switch intervals {
        case .asymptotic:
            deviations = perOutput(asymptoticDeviations, outputCount: outputs.count, statisticCount: statisticCount)
        case .bootstrap(let bootstrap):
            deviations = bootstrapDeviations(design: design, blocks: kept, statisticCount: statisticCount, bootstrap: bootstrap, threads: threads)
        }
        let z = intervals.zScore
        let conf = deviations.map { z * $0 }

        let k = design.factorCount
        return outputs.indices.map { o in
            let point = point[(o * statisticCount)..<((o + 1) * statisticCount)], conf = conf[(o * statisticCount)..<((o + 1) * statisticCount)]
            return SobolIndices(
                names: design.names,
                S1: Array(point.prefix(k)), S1_conf: Array(conf.prefix(k)),
                ST: Array(point.dropFirst(k).prefix(k)), ST_conf: Array(conf.dropFirst(k).prefix(k)),
                S2: design.secondOrder ? symmetricMatrix(k: k, pairs: point.dropFirst(2 * k)) : nil,
                S2_conf: design.secondOrder ? symmetricMatrix(k: k, pairs: conf.dropFirst(2 * k)) : nil,
                evaluations: outputs[o].count, variance: variance[o], intervals: intervals)
        }
    }

    /// Output o's statistic s at `[o * statisticCount + s]` from blocks of `width` outputs, block b's
    /// statistic s at `lanes[b * statisticCount + s]`, output b · width + lane in that lane.
    private static func perOutput(_ lanes: [SaltelliEstimators.Lanes], outputCount: Int, statisticCount: Int) -> [Double] {
        let width = SaltelliEstimators.width
        return (0..<(outputCount * statisticCount)).map { i in
            let o = i / statisticCount, s = i % statisticCount
            return lanes[(o / width) * statisticCount + s][o % width]
        }
    }

    /// Bootstrap sd of every output's statistics, output o's statistic s at `[o * statisticCount + s]`.
    private static func bootstrapDeviations(design: SobolDesign, blocks: [SaltelliEstimators], statisticCount: Int,
                                            bootstrap: BootstrapOptions, threads: Int) -> [Double] {
        let width = SaltelliEstimators.width, n = design.baseSamples
        let stream = CounterStream(seed: design.seed, stream: streamKey("hpmc.sensitivity.sobol.bootstrap"))
        let blocksPerPass = max(1, replicateBudget / (bootstrap.resamples * width * statisticCount * MemoryLayout<Double>.size))
        var deviations: [Double] = []
        for first in Swift.stride(from: 0, to: blocks.count, by: blocksPerPass) {
            let pass = Array(blocks[first..<min(first + blocksPerPass, blocks.count)])
            let passStatistics = pass.reduce(0) { $0 + $1.outputCount } * statisticCount
            let spread = bootstrapStandardDeviations(
                rowCount: n, statisticCount: passStatistics, resamples: bootstrap.resamples,
                stream: stream, threads: threads,
                statistic: { counts, replicates, out in
                    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: counts.count + drawnRowsSlack) { scratch in
                        // Drawn once for every block of the pass.
                        drawnRows(counts: counts, replicates: replicates, into: scratch)
                        let rows = UnsafeBufferPointer(rebasing: scratch[0..<counts.count])
                        for (b, block) in pass.enumerated() {
                            estimate(block, rows: rows, replicates: replicates, statisticCount: statisticCount) { j, lane, s, value in
                                out[j * passStatistics + (b * width + lane) * statisticCount + s] = value
                            }
                        }
                    }
                })
            deviations += spread
        }
        return deviations
    }

    /// Room `drawnRows` needs past its rows.
    private static let drawnRowsSlack = 4

    /// Replicate j's rows in ascending order, each as often as drawn, at `rows[j * rowCount ..< (j + 1) * rowCount]`,
    /// from how often it drew each row (`counts[r * replicates + j]`); `rows` has `drawnRowsSlack` more.
    private static func drawnRows(counts: UnsafeBufferPointer<UInt32>, replicates m: Int, into rows: UnsafeMutableBufferPointer<UInt32>) {
        let rowCount = counts.count / m
        let base = rows.baseAddress!
        for j in 0..<m {
            var next = j * rowCount
            for r in 0..<rowCount {
                // Four copies whatever the count (a row is drawn 0 to 2 times nearly always, and a branch
                // on the count would mispredict); the next row overwrites those not drawn.
                let row = UInt32(r), count = Int(counts[r * m + j])
                for c in 0..<drawnRowsSlack { base[next + c] = row }
                for c in drawnRowsSlack..<max(drawnRowsSlack, count) { base[next + c] = row }
                next += count
            }
        }
    }

    /// Runs `block`'s estimators on `replicates` multisets of rows (see `SaltelliEstimators.estimate`) and
    /// hands each output's statistics to `store(replicate, lane, statistic, value)`.
    private static func estimate(_ block: SaltelliEstimators, rows: UnsafeBufferPointer<UInt32>, replicates: Int, statisticCount: Int,
                                 store: (_ replicate: Int, _ lane: Int, _ statistic: Int, _ value: Double) -> Void) {
        typealias Lanes = SaltelliEstimators.Lanes
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: replicates * statisticCount) { out in
            withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 2 * replicates) { moments in
                out.initialize(repeating: .zero)
                moments.initialize(repeating: .zero)
                block.estimate(rows: rows, replicates: replicates, into: out, means: UnsafeMutableBufferPointer(rebasing: moments[..<replicates]),
                               variances: UnsafeMutableBufferPointer(rebasing: moments[replicates...]))
                for j in 0..<replicates {
                    for lane in 0..<block.outputCount {
                        for s in 0..<statisticCount { store(j, lane, s, out[j * statisticCount + s][lane]) }
                    }
                }
            }
        }
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
    _ design: SobolDesign, threads: Int, intervals: SobolIntervals = .asymptotic(),
    pointsPerChunk: Int = 1024, progress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
    makeEvaluator: (_ worker: Int) -> Evaluator
) throws(SensitivityError) -> SobolIndices {
    try intervals.validate()
    let outputs = try evaluateDesign(design, threads: threads, pointsPerChunk: pointsPerChunk,
                                     progress: progress, makeEvaluator: makeEvaluator)
    return try SobolIndices(design: design, outputs: outputs, intervals: intervals, threads: threads)
}

/// Samples `design`, evaluates the model once per point and analyses each of the evaluator's outputs
/// (such as one series in several years) on its own, with the same intervals (bootstrap resamples):
/// entry o equals, bit for bit, `sobolIndices` with an evaluator that reports output o alone.
public func sobolIndicesPerOutput<Evaluator: BatchEvaluator>(
    _ design: SobolDesign, threads: Int, intervals: SobolIntervals = .asymptotic(),
    pointsPerChunk: Int = 1024, progress: ((_ completed: Int, _ total: Int) -> Void)? = nil,
    makeEvaluator: (_ worker: Int) -> Evaluator
) throws(SensitivityError) -> [SobolIndices] {
    try intervals.validate()
    let outputs = try evaluateDesign(design, threads: threads, pointsPerChunk: pointsPerChunk,
                                     progress: progress, makeEvaluator: makeEvaluator)
    return try SobolIndices.analyse(design: design, outputs: outputsByOutput(outputs, evaluations: design.evaluations),
                                    intervals: intervals, threads: threads)
}
