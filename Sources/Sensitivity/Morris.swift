import RandomStreams

/// Morris elementary effects (Morris 1991) with μ* (Campolongo et al. 2007): r one-at-a-time
/// trajectories on a p-level grid of the unit hypercube, Δ = p / (2(p − 1)).
public struct MorrisAnalysis: Sendable {
    public struct Indices: Sendable {
        public var names: [String]
        public var mu: [Double]
        public var muStar: [Double]
        public var muStarConf: [Double]
        public var sigma: [Double]
        public var trajectories: Int
        public var evaluations: Int
    }

    public let names: [String]
    public let trajectories: Int
    public let levels: Int
    public let seed: UInt64
    public var delta: Double { Double(levels) / (2 * Double(levels - 1)) }

    public init(inputNames: [String], trajectories: Int = 10, levels: Int = 4, seed: UInt64) throws(SensitivityError) {
        guard !inputNames.isEmpty else { throw SensitivityError("there are no inputs to screen") }
        guard trajectories >= 2 else { throw SensitivityError("Morris needs at least 2 trajectories, not \(trajectories)") }
        guard levels >= 2, levels % 2 == 0 else { throw SensitivityError("Morris needs an even number of levels ≥ 2, not \(levels)") }
        names = inputNames
        self.trajectories = trajectories
        self.levels = levels
        self.seed = seed
    }

    public var evaluations: Int { trajectories * (names.count + 1) }

    /// Points (point-major) of every trajectory, k + 1 each, and per step which input moved and by how much.
    public func design() -> (points: [Double], moves: [(input: Int, step: Double)]) {
        let k = names.count
        let stream = CounterStream(seed: seed, stream: streamKey("hpmc.sensitivity.morris"))
        var counter: UInt64 = 0
        func draw() -> Double { defer { counter += 1 }; return stream.uniform(at: counter) }
        var points: [Double] = [], moves: [(Int, Double)] = []
        let lowLevels = levels / 2   // starting levels from which +Δ stays inside [0, 1]
        for _ in 0..<trajectories {
            var x = (0..<k).map { _ in Double(Int(draw() * Double(lowLevels))) / Double(levels - 1) }
            var order = Array(0..<k)
            for i in stride(from: k - 1, to: 0, by: -1) { order.swapAt(i, Int(draw() * Double(i + 1))) }
            let up = (0..<k).map { _ in draw() < 0.5 }
            for d in 0..<k where !up[d] { x[d] += delta }
            points += x
            for d in order {
                let step = up[d] ? delta : -delta
                x[d] += step
                points += x
                moves.append((d, step))
            }
        }
        return (points, moves)
    }

    public func run<Evaluator: BatchEvaluator>(threads: Int, bootstrap: Int = 1000, confidence: Double = 0.95,
                                               makeEvaluator: (Int) -> Evaluator) -> Indices {
        let (points, moves) = design()
        let outputs = evaluateDesign(points, dimensions: names.count, threads: threads, makeEvaluator: makeEvaluator) { _, _ in }
        return analyze(outputs, moves: moves, bootstrap: bootstrap, confidence: confidence)
    }

    public func analyze(_ outputs: [Double], moves: [(input: Int, step: Double)], bootstrap: Int = 1000, confidence: Double = 0.95) -> Indices {
        let k = names.count
        var effects = [[Double]](repeating: [], count: k)
        for t in 0..<trajectories {
            for s in 0..<k {
                let move = moves[t * k + s]
                let before = outputs[t * (k + 1) + s], after = outputs[t * (k + 1) + s + 1]
                effects[move.input].append((after - before) / move.step)
            }
        }
        let stream = CounterStream(seed: seed, stream: streamKey("hpmc.sensitivity.morris.bootstrap"))
        let z = twoSidedZ(confidence)
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        func sd(_ v: [Double]) -> Double {
            let m = mean(v)
            return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, v.count - 1))).squareRoot()
        }
        let muStarConf = effects.enumerated().map { i, e -> Double in
            let r = e.count
            let estimates = (0..<bootstrap).map { b in
                mean((0..<r).map { abs(e[Int(stream.uniform(at: UInt64((i * bootstrap + b) * r + $0)) * Double(r))]) })
            }
            return z * sd(estimates)
        }
        return Indices(names: names, mu: effects.map(mean), muStar: effects.map { mean($0.map(abs)) }, muStarConf: muStarConf,
                       sigma: effects.map(sd), trajectories: trajectories, evaluations: evaluations)
    }
}

/// One at a time: each input at a low and a high quantile level, every other input central.
public struct Tornado: Sendable {
    public struct Bar: Sendable {
        public var name: String
        public var low: Double
        public var high: Double
        public var swing: Double { abs(high - low) }
    }
    public var central: Double
    /// Largest swing first.
    public var bars: [Bar]

    /// `evaluate(overrides)` returns the output with the listed inputs at the given quantile levels
    /// and every other input at its central value.
    public init(names: [String], low: Double = 0.05, high: Double = 0.95, evaluate: ([(input: Int, u: Double)]) -> Double) {
        central = evaluate([])
        bars = names.enumerated().map { i, name in
            Bar(name: name, low: evaluate([(i, low)]), high: evaluate([(i, high)]))
        }.sorted { $0.swing > $1.swing }
    }
}
