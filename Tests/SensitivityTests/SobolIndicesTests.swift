import Testing
import Sensitivity

/// Checks estimates against exact values: within 0.02, and the exact value inside the interval.
/// Where the exact index is below 0.01 the interval can be nearly degenerate, so 0.005 slack is allowed.
func expectClose(_ estimate: [Double], _ conf: [Double], _ exact: [Double], _ label: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    for i in exact.indices {
        let error = abs(estimate[i] - exact[i])
        let slack = exact[i] < 0.01 ? 0.005 : 0
        #expect(error < 0.02, "\(label)[\(i)] = \(estimate[i]), exact \(exact[i])", sourceLocation: sourceLocation)
        #expect(error <= conf[i] + slack, "\(label)[\(i)] = \(estimate[i]) ± \(conf[i]), exact \(exact[i])",
                sourceLocation: sourceLocation)
    }
}

let testBootstrap = BootstrapOptions(resamples: 200)
/// The known answers hold with either interval method.
let bothIntervals: [SobolIntervals] = [.asymptotic(), .bootstrap(testBootstrap)]

@Suite struct SobolIndicesTests {
    @Test(arguments: bothIntervals)
    func ishigamiMatchesAnalyticIndices(intervals: SobolIntervals) throws {
        let function = IshigamiFunction(a: 7, b: 0.1)
        let design = try SobolDesign(inputNames: IshigamiFunction.inputNames, baseSamples: 1 << 14, seed: 42)
        let indices = try sobolIndices(design, threads: 2, intervals: intervals) { _ in function }
        let exact = function.analyticIndices
        expectClose(indices.S1, indices.S1_conf, exact.S1, "S1")
        expectClose(indices.ST, indices.ST_conf, exact.ST, "ST")
        #expect(abs(indices.variance / exact.variance - 1) < 0.02)
        #expect(indices.evaluations == (1 << 14) * 5)
        #expect(indices.S2 == nil && indices.S2_conf == nil)
        #expect(indices.names == IshigamiFunction.inputNames)
    }

    @Test(arguments: [[0, 1, 4.5, 9, 99, 99, 99, 99], [0, 0, 1, 2, 9]], bothIntervals)
    func sobolGMatchesAnalyticIndices(a: [Double], intervals: SobolIntervals) throws {
        let function = SobolGFunction(a: a)
        let design = try SobolDesign(inputNames: function.inputNames, baseSamples: 1 << 14, seed: 7)
        let indices = try sobolIndices(design, threads: 2, intervals: intervals) { _ in function }
        let exact = function.analyticIndices
        expectClose(indices.S1, indices.S1_conf, exact.S1, "S1")
        expectClose(indices.ST, indices.ST_conf, exact.ST, "ST")
    }

    @Test(arguments: bothIntervals)
    func ishigamiSecondOrder(intervals: SobolIntervals) throws {
        let function = IshigamiFunction(a: 7, b: 0.1)
        let design = try SobolDesign(inputNames: IshigamiFunction.inputNames, baseSamples: 1 << 13,
                                     secondOrder: true, seed: 3)
        #expect(design.evaluations == (1 << 13) * 8)
        let indices = try sobolIndices(design, threads: 2, intervals: intervals) { _ in function }
        let exact = function.analyticIndices
        let s2 = try #require(indices.S2), conf = try #require(indices.S2_conf)
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            #expect(abs(s2[i][j] - exact.S2[i][j]) < 0.03, "S2[\(i)][\(j)] = \(s2[i][j]), exact \(exact.S2[i][j])")
            #expect(abs(s2[i][j] - exact.S2[i][j]) <= conf[i][j] + 0.005)
            #expect(s2[i][j] == s2[j][i])
        }
        #expect(s2[1][1].isNaN)
        // The first- and total-order estimators are unchanged by the extra B_A points.
        expectClose(indices.S1, indices.S1_conf, exact.S1, "S1")
        expectClose(indices.ST, indices.ST_conf, exact.ST, "ST")
    }

    @Test func groupIndicesMatchAnalyticSubsetIndices() throws {
        // For G, a group I has closed indices V_I = Π_{i∈I}(1 + V_i) − 1 and ST_I = 1 − (Π_{j∉I}(1 + V_j) − 1) / V.
        let a: [Double] = [0, 1, 4.5, 9, 99]
        let function = SobolGFunction(a: a)
        let groups = [InputGroup(name: "important", inputs: [1, 0]), InputGroup(name: "rest", inputs: [2, 3, 4])]
        let design = try SobolDesign(inputNames: function.inputNames, groups: groups, baseSamples: 1 << 14, seed: 11)
        #expect(design.factorCount == 2 && design.pointsPerRow == 4)
        let indices = try sobolIndices(design, threads: 2) { _ in function }
        let partial = a.map { 1 / (3 * (1 + $0) * (1 + $0)) }
        let variance = partial.reduce(1) { $0 * (1 + $1) } - 1
        let inside = (1 + partial[0]) * (1 + partial[1]) - 1
        let outside = (1 + partial[2]) * (1 + partial[3]) * (1 + partial[4]) - 1
        #expect(indices.names == ["important", "rest"])
        expectClose(indices.S1, indices.S1_conf, [inside / variance, outside / variance], "S1")
        expectClose(indices.ST, indices.ST_conf, [1 - outside / variance, 1 - inside / variance], "ST")
    }

    @Test func resultsDoNotDependOnThreadsOrChunks() throws {
        let function = SobolGFunction(a: [0, 1, 9])
        let design = try SobolDesign(inputNames: function.inputNames, baseSamples: 1000, secondOrder: true, seed: 5)
        let bootstrap = SobolIntervals.bootstrap(BootstrapOptions(resamples: 50))
        let one = try sobolIndices(design, threads: 1, intervals: bootstrap) { _ in function }
        let three = try sobolIndices(design, threads: 3, intervals: bootstrap, pointsPerChunk: 77) { _ in function }
        let pairs = [(one.S1, three.S1), (one.S1_conf, three.S1_conf), (one.ST, three.ST), (one.ST_conf, three.ST_conf),
                     (one.S2!.flatMap { $0 }, three.S2!.flatMap { $0 }),
                     (one.S2_conf!.flatMap { $0 }, three.S2_conf!.flatMap { $0 })]
        // Bit patterns, because the S2 diagonal is NaN.
        for (x, y) in pairs {
            #expect(x.map(\.bitPattern) == y.map(\.bitPattern))
        }
        #expect(one.variance.bitPattern == three.variance.bitPattern)
        // Another seed scrambles differently.
        let other = try sobolIndices(SobolDesign(inputNames: function.inputNames, baseSamples: 1000, seed: 6),
                                     threads: 1, intervals: bootstrap) { _ in function }
        #expect(other.S1 != one.S1)
    }

    @Test(arguments: [(SobolIntervals.asymptotic(), SobolIntervals.asymptotic(confidenceLevel: 0.90)),
                      (.bootstrap(BootstrapOptions(resamples: 100)), .bootstrap(BootstrapOptions(resamples: 100, confidenceLevel: 0.90)))])
    func confidenceHalfWidthsScaleWithTheNormalQuantile(at95: SobolIntervals, at90: SobolIntervals) throws {
        // Same sd at both levels (same replicates, or the same asymptotic pass), so the half-widths differ
        // by z(0.975) / z(0.95) exactly; z(0.975) = 1.959964, z(0.95) = 1.644854 (standard normal table,
        // Abramowitz and Stegun 26.2).
        let function = SobolGFunction(a: [0, 1, 9])
        let design = try SobolDesign(inputNames: function.inputNames, baseSamples: 256, seed: 5)
        let outputs = try evaluateDesign(design, threads: 1) { _ in function }
        let wide = try SobolIndices(design: design, outputs: outputs, intervals: at95)
        let narrow = try SobolIndices(design: design, outputs: outputs, intervals: at90)
        for (w, n) in zip(wide.S1_conf + wide.ST_conf, narrow.S1_conf + narrow.ST_conf) {
            #expect(abs(w / n - 1.959964 / 1.644854) < 1e-6)
        }
        #expect(wide.confidenceLevel == 0.95 && narrow.S1 == wide.S1)
    }

    @Test func baseSamplesRoundUpToAPowerOfTwo() throws {
        let rounded = try SobolDesign(inputNames: ["a", "b"], baseSamples: 1000, seed: 1)
        #expect(rounded.baseSamples == 1024 && rounded.roundedFrom == 1000)
        #expect(rounded.evaluations == 1024 * 4)
        let exact = try SobolDesign(inputNames: ["a", "b"], baseSamples: 2, secondOrder: true, seed: 1)
        #expect(exact.baseSamples == 2 && exact.roundedFrom == nil && exact.evaluations == 2 * 6)
    }

    @Test func designRowsFollowSaltellisConstruction() throws {
        let design = try SobolDesign(inputNames: ["p", "q", "r"], groups: [InputGroup(name: "pr", inputs: [0, 2]),
                                                                      InputGroup(name: "q", inputs: [1])],
                                     baseSamples: 4, secondOrder: true, seed: 9)
        let stride = design.pointsPerRow, count = 4 * stride
        var points = [Double](repeating: 0, count: 3 * count)
        points.withUnsafeMutableBufferPointer { design.fill(rows: 0..<4, into: $0) }
        for row in 0..<4 {
            func point(_ m: Int) -> [Double] { (0..<3).map { points[$0 * count + row * stride + m] } }
            let a = point(0), b = point(stride - 1)
            #expect(a.allSatisfy { $0 > 0 && $0 < 1 } && zip(a, b).allSatisfy { $0 != $1 })
            #expect(point(1) == [b[0], a[1], b[2]])   // A with group pr from B
            #expect(point(2) == [a[0], b[1], a[2]])   // A with group q from B
            #expect(point(3) == [a[0], b[1], a[2]])   // B with group pr from A
            #expect(point(4) == [b[0], a[1], b[2]])   // B with group q from A
        }
        // Rows are random access: filling a later range alone gives the same points.
        var tail = [Double](repeating: 0, count: 3 * 2 * stride)
        tail.withUnsafeMutableBufferPointer { design.fill(rows: 2..<4, into: $0) }
        for d in 0..<3 {
            #expect(Array(tail[(d * 2 * stride)..<((d + 1) * 2 * stride)])
                    == Array(points[(d * count + 2 * stride)..<((d + 1) * count)]))
        }
    }

    @Test func shardsOfRowsConcatenateToTheWhole() throws {
        let function = IshigamiFunction()
        let design = try SobolDesign(inputNames: IshigamiFunction.inputNames, baseSamples: 256, seed: 2)
        let whole = try evaluateDesign(design, threads: 2) { _ in function }
        let first = try evaluateDesign(design, rows: 0..<100, threads: 1) { _ in function }
        let second = try evaluateDesign(design, rows: 100..<256, threads: 2, pointsPerChunk: 10) { _ in function }
        #expect(first + second == whole)
        #expect(whole.allSatisfy { $0.isFinite })
    }

    @Test func progressReportsEvaluationsUpToTheTotal() throws {
        let design = try SobolDesign(inputNames: ["a", "b"], baseSamples: 512, seed: 2)
        var reports: [(Int, Int)] = []
        _ = try evaluateDesign(design, threads: 2, pointsPerChunk: 100, progress: { reports.append(($0, $1)) }) { _ in
            SobolGFunction(a: [0, 1])
        }
        #expect(!reports.isEmpty)
        #expect(reports.allSatisfy { $0.1 == design.evaluations })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 < $1.0 })
        #expect(reports.last?.0 == design.evaluations)
    }
}
