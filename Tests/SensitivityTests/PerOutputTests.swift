import Testing
import Sensitivity

/// Ishigami (output 0) and the G function with a = 0, 1, 9 (output 1) on the same three inputs, both
/// from one call per batch: a model reporting one quantity in two years stands in the same relation.
struct IshigamiAndG: BatchEvaluator {
    var ishigami = IshigamiFunction(a: 7, b: 0.1)
    var g = SobolGFunction(a: [0, 1, 9])
    var outputsPerPoint: Int { 2 }

    mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        ishigami.evaluate(points: points, count: count, into: UnsafeMutableBufferPointer(rebasing: outputs[0..<count]))
        g.evaluate(points: points, count: count, into: UnsafeMutableBufferPointer(rebasing: outputs[count..<(2 * count)]))
    }
}

@Suite struct PerOutputTests {
    /// Each output's indices are a one-output run's, bit for bit (same design, same bootstrap
    /// resamples or the same asymptotic pass in its own lane), whatever the threads and chunks, and
    /// still meet the known answers.
    @Test(arguments: [SobolIntervals.asymptotic(), .bootstrap(testBootstrap)])
    func sobolPerOutputEqualsOneOutputRuns(intervals: SobolIntervals) throws {
        let design = try SobolDesign(inputNames: IshigamiFunction.inputNames, baseSamples: 1 << 13, secondOrder: true, seed: 11)
        let both = try sobolIndicesPerOutput(design, threads: 2, intervals: intervals, pointsPerChunk: 100) { _ in IshigamiAndG() }
        let ishigami = try sobolIndices(design, threads: 1, intervals: intervals) { _ in IshigamiFunction(a: 7, b: 0.1) }
        let g = try sobolIndices(design, threads: 1, intervals: intervals) { _ in SobolGFunction(a: [0, 1, 9]) }
        #expect(both.count == 2)
        for (joint, alone) in zip(both, [ishigami, g]) {
            #expect(joint.S1 == alone.S1 && joint.S1_conf == alone.S1_conf)
            #expect(joint.ST == alone.ST && joint.ST_conf == alone.ST_conf)
            #expect(joint.variance == alone.variance && joint.evaluations == alone.evaluations)
            #expect(joint.S2?.flatMap { $0 }.filter { !$0.isNaN } == alone.S2?.flatMap { $0 }.filter { !$0.isNaN })
            #expect(joint.S2_conf?.flatMap { $0 }.filter { !$0.isNaN } == alone.S2_conf?.flatMap { $0 }.filter { !$0.isNaN })
            #expect(joint.intervals == intervals)
        }
        #expect(both[0].S1 != both[1].S1)
        for (indices, exact) in zip(both, [IshigamiFunction(a: 7, b: 0.1).analyticIndices, SobolGFunction(a: [0, 1, 9]).analyticIndices]) {
            expectClose(indices.S1, indices.S1_conf, exact.S1, "S1")
            expectClose(indices.ST, indices.ST_conf, exact.ST, "ST")
        }
    }

    @Test func morrisPerOutputEqualsOneOutputRuns() throws {
        let design = try MorrisDesign(inputNames: IshigamiFunction.inputNames, trajectories: 50, levels: 4, seed: 5)
        let both = try morrisIndicesPerOutput(design, threads: 2, bootstrap: testBootstrap, pointsPerChunk: 7) { _ in IshigamiAndG() }
        let ishigami = try morrisIndices(design, threads: 1, bootstrap: testBootstrap) { _ in IshigamiFunction(a: 7, b: 0.1) }
        let g = try morrisIndices(design, threads: 1, bootstrap: testBootstrap) { _ in SobolGFunction(a: [0, 1, 9]) }
        for (joint, alone) in zip(both, [ishigami, g]) {
            #expect(joint.muStar == alone.muStar && joint.muStarConf == alone.muStarConf && joint.mu == alone.mu && joint.sigma == alone.sigma)
        }
        #expect(both.count == 2 && both[0].muStar != both[1].muStar)
    }

    @Test func tornadoPerOutputEqualsOneOutputRuns() throws {
        func outputs(_ overrides: [(input: Int, u: Double)]) -> [Double] {
            var x = [0.5, 0.5, 0.5]
            for o in overrides { x[o.input] = o.u }
            return [x[0] + 10 * x[1], 3 * x[2] - x[0]]
        }
        let both = try tornadoPerOutput(inputCount: 3, outputCount: 2, evaluate: outputs)
        for o in 0..<2 {
            #expect(both[o] == (try tornado(inputCount: 3) { outputs($0)[o] }))
        }
        #expect(both[0].bars.map(\.input) == [1, 0, 2] && both[1].bars.map(\.input) == [2, 0, 1])
    }

    /// An output that varies only by rounding has no indices; of several outputs, the constant ones are named.
    @Test func roundingNoiseIsNoVariation() throws {
        let design = try SobolDesign(inputNames: ["x"], baseSamples: 8, seed: 1)
        let noise = (0..<design.evaluations).map { 2 + Double($0 % 3) * (2.0).ulp }
        #expect(throws: SensitivityError.constantOutput) { try SobolIndices(design: design, outputs: noise) }
        let varying = (0..<design.evaluations).map { 2 + Double($0 % 5) * 1e-9 }
        #expect(throws: Never.self) { try SobolIndices(design: design, outputs: varying) }
        struct VaryingThenFixed: BatchEvaluator {
            var outputsPerPoint: Int { 2 }
            mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
                for i in 0..<count { outputs[i] = points[i]; outputs[count + i] = 3 }
            }
        }
        #expect(throws: SensitivityError.constantOutputs([1])) {
            try sobolIndicesPerOutput(design, threads: 1) { _ in VaryingThenFixed() }
        }
    }

    /// The outputs kept in memory are evaluations times outputs per point, and that product is capped.
    @Test func outputCapCountsEveryOutput() throws {
        struct ManyOutputs: BatchEvaluator {
            var outputsPerPoint: Int { 1 << 20 }
            mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {}
        }
        let design = try SobolDesign(inputNames: ["x"], baseSamples: 1 << 10, seed: 1)
        #expect(throws: SensitivityError.tooManyOutputs(evaluations: 3 << 10, outputsPerPoint: 1 << 20, maximum: maximumEvaluations)) {
            try evaluateDesign(design, threads: 1) { _ in ManyOutputs() }
        }
    }
}
