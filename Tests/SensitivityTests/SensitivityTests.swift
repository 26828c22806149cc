import Testing
@testable import Sensitivity

/// Known answers: Ishigami (a = 7, b = 0.1) and Sobol's G, whose indices are analytic.
struct SobolIndexTests {
    func check(_ indices: SobolAnalysis.Indices, _ analytic: (S1: [Double], ST: [Double]), sourceLocation: SourceLocation = #_sourceLocation) {
        for i in analytic.S1.indices {
            for (estimate, conf, exact, name) in [(indices.S1[i], indices.S1Conf[i], analytic.S1[i], "S1"),
                                                  (indices.ST[i], indices.STConf[i], analytic.ST[i], "ST")] {
                #expect(abs(estimate - exact) < 0.02, "\(name)[\(i)] = \(estimate), analytic \(exact)", sourceLocation: sourceLocation)
                // Inside the bootstrap interval; near-zero indices get 0.005 more, where the interval degenerates.
                #expect(abs(estimate - exact) <= conf + (exact < 0.01 ? 0.005 : 0), "\(name)[\(i)] = \(estimate) ± \(conf), analytic \(exact)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func ishigamiAt16384() throws {
        let analysis = try SobolAnalysis(inputNames: ["x1", "x2", "x3"], baseSamples: 1 << 14, seed: 1)
        let function = Ishigami(a: 7, b: 0.1)
        let expected = function.analyticIndices
        #expect(abs(expected.S1[0] - 0.3139) < 1e-4 && abs(expected.ST[2] - 0.2437) < 1e-4)
        check(analysis.run(threads: 2, bootstrap: 200) { _ in function }, expected)
    }

    @Test(arguments: [[0, 1, 4.5, 9, 99, 99, 99, 99], [0, 0, 1, 2, 9]])
    func gFunctionAt16384(a: [Double]) throws {
        let function = SobolG(a: a)
        let analysis = try SobolAnalysis(inputNames: a.indices.map { "x\($0)" }, baseSamples: 1 << 14, seed: 2)
        check(analysis.run(threads: 2, bootstrap: 200) { _ in function }, function.analyticIndices)
    }

    @Test func roundsUpToAPowerOfTwoAndSaysSo() throws {
        let analysis = try SobolAnalysis(inputNames: ["a", "b"], baseSamples: 1000, seed: 1)
        #expect(analysis.baseSamples == 1024 && analysis.roundedFrom == 1000)
        #expect(analysis.evaluations == 1024 * 4)
    }

    @Test func sameSeedSameIndicesForAnyThreadCount() throws {
        let analysis = try SobolAnalysis(inputNames: ["x1", "x2", "x3"], baseSamples: 2048, seed: 5)
        let one = analysis.run(threads: 1, bootstrap: 50) { _ in Ishigami() }
        let three = analysis.run(threads: 3, bootstrap: 50) { _ in Ishigami() }
        #expect(one.S1 == three.S1 && one.ST == three.ST && one.S1Conf == three.S1Conf)
    }

    /// A group's first-order index is that of its inputs together: for G, V_{12} + V_1 + V_2.
    @Test func groupsAndSecondOrder() throws {
        let function = SobolG(a: [0, 1, 9])
        let grouped = try SobolAnalysis(inputNames: ["x0", "x1", "x2"], groups: [("x0+x1", [0, 1]), ("x2", [2])], baseSamples: 1 << 14, seed: 3)
        let indices = grouped.run(threads: 2, bootstrap: 50) { _ in function }
        let v: [Double] = [0.0, 1.0, 9.0].map { (a: Double) -> Double in 1 / (3 * (1 + a) * (1 + a)) }
        let total: Double = v.reduce(1.0) { $0 * (1 + $1) } - 1
        let pair: Double = ((1 + v[0]) * (1 + v[1]) - 1) / total
        #expect(abs(indices.S1[0] - pair) < 0.02)
        let second = try SobolAnalysis(inputNames: ["x0", "x1", "x2"], baseSamples: 1 << 14, secondOrder: true, seed: 3)
        let s2 = second.run(threads: 2, bootstrap: 50) { _ in function }
        let interaction: Double = v[0] * v[1] / total
        #expect(abs(s2.S2![0][1] - interaction) < 0.03)
        #expect(second.evaluations == (1 << 14) * 8)
    }

    @Test func inputErrors() {
        #expect(throws: SensitivityError.self) { try SobolAnalysis(inputNames: [], baseSamples: 8, seed: 1) }
        #expect(throws: SensitivityError.self) { try SobolAnalysis(inputNames: ["a"], baseSamples: 1, seed: 1) }
        #expect(throws: SensitivityError.self) { try SobolAnalysis(inputNames: ["a", "b"], groups: [("g", [0, 0])], baseSamples: 8, seed: 1) }
        #expect(throws: SensitivityError.self) { try SobolAnalysis(inputNames: ["a", "b"], groups: [("g", [0]), ("h", [0, 1])], baseSamples: 8, seed: 1) }
        #expect(throws: SensitivityError.self) { try SobolAnalysis(inputNames: ["a"], groups: [("g", [3])], baseSamples: 8, seed: 1) }
        #expect(throws: SensitivityError.self) { try MorrisAnalysis(inputNames: ["a"], trajectories: 1, seed: 1) }
        #expect(throws: SensitivityError.self) { try MorrisAnalysis(inputNames: ["a"], levels: 1, seed: 1) }
    }
}

struct Linear: BatchEvaluator {
    let c: [Double]
    func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<count { outputs[i] = c.indices.reduce(0) { $0 + c[$1] * points[$1 * count + i] } }
    }
}

struct MorrisTests {
    /// For a linear function every elementary effect is its coefficient: μ = μ* = c, σ = 0.
    @Test func linearFunctionHasExactEffects() throws {
        let c = [3.0, -2.0, 0.5]
        let morris = try MorrisAnalysis(inputNames: ["a", "b", "c"], trajectories: 20, levels: 4, seed: 1)
        let indices = morris.run(threads: 2, bootstrap: 100) { _ in Linear(c: c) }
        for i in c.indices {
            #expect(abs(indices.mu[i] - c[i]) < 1e-12 && abs(indices.muStar[i] - abs(c[i])) < 1e-12 && indices.sigma[i] < 1e-12)
        }
    }

    /// On G, μ* ranks inputs by importance (a ascending), and a = 99 is negligible next to a = 0.
    @Test func gFunctionRanking() throws {
        let a = [0, 1, 4.5, 9, 99]
        let morris = try MorrisAnalysis(inputNames: a.indices.map { "x\($0)" }, trajectories: 40, levels: 4, seed: 9)
        let indices = morris.run(threads: 2, bootstrap: 100) { _ in SobolG(a: a) }
        #expect(indices.muStar == indices.muStar.sorted(by: >))
        #expect(indices.muStar[4] < 0.05 * indices.muStar[0])
        #expect(indices.evaluations == 40 * 6)
    }
}

struct TornadoTests {
    @Test func exactSwingsAndOrder() {
        let weights = [1.0, -4.0, 2.0]
        let tornado = Tornado(names: ["a", "b", "c"]) { overrides in
            var x = [0.5, 0.5, 0.5]
            for o in overrides { x[o.input] = o.u }
            return zip(weights, x).reduce(0) { $0 + $1.0 * $1.1 }
        }
        #expect(tornado.central == -0.5)
        #expect(tornado.bars.map(\.name) == ["b", "c", "a"])
        #expect(abs(tornado.bars[0].swing - 3.6) < 1e-12 && abs(tornado.bars[0].low - (-0.5 + 4 * 0.45)) < 1e-12)
    }
}
