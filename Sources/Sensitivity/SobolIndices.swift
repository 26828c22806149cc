import Distributions
import Foundation
import RandomStreams
import Sampling

/// First-order, total and (optionally) second-order Sobol' indices by Saltelli sampling on
/// scrambled Sobol' points: S1 by Saltelli et al. (2010), ST by Jansen (1999), S2 as Saltelli (2002),
/// confidence intervals by bootstrap over the base rows.
public struct SobolAnalysis: Sendable {
    public struct Indices: Sendable {
        public var names: [String]
        public var S1: [Double]
        public var S1Conf: [Double]
        public var ST: [Double]
        public var STConf: [Double]
        /// `S2[i][j]` for i < j (NaN elsewhere), when second order was asked for.
        public var S2: [[Double]]?
        public var S2Conf: [[Double]]?
        public var evaluations: Int
        public var baseSamples: Int
        public var variance: Double
    }

    /// Inputs (dimensions of the model) and the factors analysed: groups of inputs, or each input alone.
    public let inputCount: Int
    public let groups: [[Int]]
    public let names: [String]
    /// Base sample count: a power of two.
    public let baseSamples: Int
    /// What was asked for, when it was not a power of two.
    public let roundedFrom: Int?
    public let secondOrder: Bool
    public let seed: UInt64

    /// - Parameters:
    ///   - groups: optional named groups of input indices; each input at most once. Without them
    ///     every input is its own factor, named by `inputNames`.
    public init(inputNames: [String], groups: [(name: String, inputs: [Int])]? = nil, baseSamples: Int,
                secondOrder: Bool = false, seed: UInt64) throws(SensitivityError) {
        guard !inputNames.isEmpty else { throw SensitivityError("there are no inputs to analyse") }
        guard baseSamples >= 2 else { throw SensitivityError("the base sample count must be at least 2, not \(baseSamples)") }
        inputCount = inputNames.count
        if let groups {
            guard !groups.isEmpty else { throw SensitivityError("no groups given") }
            var seen: Set<Int> = []
            for group in groups {
                guard !group.inputs.isEmpty else { throw SensitivityError("group '\(group.name)' is empty") }
                for i in group.inputs {
                    guard (0..<inputNames.count).contains(i) else { throw SensitivityError("group '\(group.name)' names unknown input \(i)") }
                    guard seen.insert(i).inserted else { throw SensitivityError("input '\(inputNames[i])' is in more than one group") }
                }
            }
            self.groups = groups.map(\.inputs)
            names = groups.map(\.name)
        } else {
            self.groups = inputNames.indices.map { [$0] }
            names = inputNames
        }
        var n = 1
        while n < baseSamples { n *= 2 }
        self.baseSamples = n
        roundedFrom = n == baseSamples ? nil : baseSamples
        self.secondOrder = secondOrder
        self.seed = seed
    }

    /// Factors (groups or single inputs).
    public var factorCount: Int { groups.count }

    /// Number of model evaluations: N(k + 2), or N(2k + 2) with second order.
    public var evaluations: Int { baseSamples * (factorCount * (secondOrder ? 2 : 1) + 2) }

    /// The design, point-major (`inputCount` coordinates per point): A, B, then A with factor i's
    /// columns from B for each factor, then (second order) B with factor i's columns from A.
    public func design() -> [Double] {
        let k = inputCount, n = baseSamples
        let keys = (0..<(2 * k)).map { streamKey("hpmc.sensitivity.saltelli.\($0)") }
        let sampler = try! UniformSampler(kind: .sobol, seed: seed, dimensionKeys: keys)
        var base = [Double](repeating: 0, count: 2 * k * n)
        base.withUnsafeMutableBufferPointer { sampler.fill(firstIndex: 0, count: n, into: $0) }
        func a(_ i: Int, _ d: Int) -> Double { base[d * n + i] }
        func b(_ i: Int, _ d: Int) -> Double { base[(k + d) * n + i] }
        var points: [Double] = []
        points.reserveCapacity(evaluations * k)
        for i in 0..<n { for d in 0..<k { points.append(a(i, d)) } }
        for i in 0..<n { for d in 0..<k { points.append(b(i, d)) } }
        for group in groups {
            let swapped = Set(group)
            for i in 0..<n { for d in 0..<k { points.append(swapped.contains(d) ? b(i, d) : a(i, d)) } }
        }
        if secondOrder {
            for group in groups {
                let swapped = Set(group)
                for i in 0..<n { for d in 0..<k { points.append(swapped.contains(d) ? a(i, d) : b(i, d)) } }
            }
        }
        return points
    }

    /// Runs the design through the model and analyses it.
    public func run<Evaluator: BatchEvaluator>(threads: Int, bootstrap: Int = 1000, confidence: Double = 0.95,
                                               makeEvaluator: (Int) -> Evaluator,
                                               progress: (Int, Int) -> Void = { _, _ in }) -> Indices {
        let outputs = evaluateDesign(design(), dimensions: inputCount, threads: threads, makeEvaluator: makeEvaluator, progress: progress)
        return analyze(outputs, bootstrap: bootstrap, confidence: confidence)
    }

    /// The indices from the outputs of `design()`, in its order.
    public func analyze(_ outputs: [Double], bootstrap: Int = 1000, confidence: Double = 0.95) -> Indices {
        let n = baseSamples, k = factorCount
        let fA = Array(outputs[0..<n]), fB = Array(outputs[n..<(2 * n)])
        let fAB = (0..<k).map { Array(outputs[((2 + $0) * n)..<((3 + $0) * n)]) }
        let fBA = secondOrder ? (0..<k).map { Array(outputs[((2 + k + $0) * n)..<((3 + k + $0) * n)]) } : []
        let all = Array(0..<n)
        func estimates(_ rows: [Int]) -> (s1: [Double], st: [Double], s2: [[Double]]?, variance: Double) {
            var sum = 0.0, sumSquares = 0.0
            for r in rows { sum += fA[r] + fB[r]; sumSquares += fA[r] * fA[r] + fB[r] * fB[r] }
            let m = Double(2 * rows.count)
            let variance = sumSquares / m - (sum / m) * (sum / m)
            var s1 = [Double](), st = [Double]()
            for i in 0..<k {
                var first = 0.0, total = 0.0
                for r in rows {
                    first += fB[r] * (fAB[i][r] - fA[r])
                    total += (fA[r] - fAB[i][r]) * (fA[r] - fAB[i][r])
                }
                s1.append(first / Double(rows.count) / variance)
                st.append(0.5 * total / Double(rows.count) / variance)
            }
            guard secondOrder else { return (s1, st, nil, variance) }
            var s2 = [[Double]](repeating: [Double](repeating: .nan, count: k), count: k)
            for j in 0..<k {
                for l in (j + 1)..<max(j + 1, k) {
                    var v = 0.0
                    for r in rows { v += fBA[j][r] * fAB[l][r] - fA[r] * fB[r] }
                    s2[j][l] = v / Double(rows.count) / variance - s1[j] - s1[l]
                }
            }
            return (s1, st, s2, variance)
        }
        let point = estimates(all)
        // Bootstrap over the base rows, deterministic from the seed.
        let stream = CounterStream(seed: seed, stream: streamKey("hpmc.sensitivity.bootstrap"))
        var draws: [(s1: [Double], st: [Double], s2: [[Double]]?)] = []
        for b in 0..<bootstrap {
            let rows = (0..<n).map { Int(stream.uniform(at: UInt64(b * n + $0)) * Double(n)) }
            let e = estimates(rows)
            draws.append((e.s1, e.st, e.s2))
        }
        let z = twoSidedZ(confidence)
        func halfWidth(_ values: [Double]) -> Double {
            guard values.count > 1 else { return .nan }
            let mean = values.reduce(0, +) / Double(values.count)
            return z * (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        }
        let s2Conf: [[Double]]? = secondOrder ? (0..<k).map { j in (0..<k).map { l in l > j ? halfWidth(draws.map { $0.s2![j][l] }) : .nan } } : nil
        return Indices(names: names, S1: point.s1, S1Conf: (0..<k).map { i in halfWidth(draws.map { $0.s1[i] }) },
                       ST: point.st, STConf: (0..<k).map { i in halfWidth(draws.map { $0.st[i] }) },
                       S2: point.s2, S2Conf: s2Conf, evaluations: evaluations, baseSamples: n, variance: point.variance)
    }
}

/// z such that ±z covers `confidence` of a standard normal.
func twoSidedZ(_ confidence: Double) -> Double { standardNormalQuantile(0.5 + confidence / 2) }
