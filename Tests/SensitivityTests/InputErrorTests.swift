import Testing
import Sensitivity

@Suite struct InputErrorTests {
    @Test func sobolDesignRejectsBadInputs() {
        #expect(throws: SensitivityError.tooFewBaseSamples(1)) { try SobolDesign(inputNames: ["a"], baseSamples: 1, seed: 0) }
        // k + 2 = 3 points per base sample: 2^26 fit the 2^28 evaluations, 2^27 do not.
        #expect(throws: Never.self) { try SobolDesign(inputNames: ["a"], baseSamples: 1 << 26, seed: 0) }
        #expect(throws: SensitivityError.tooManyEvaluations(rows: 1 << 27, pointsPerRow: 3, maximum: 1 << 28)) {
            try SobolDesign(inputNames: ["a"], baseSamples: 1 << 27, seed: 0)
        }
        #expect(throws: SensitivityError.noInputs) { try SobolDesign(inputNames: [], baseSamples: 8, seed: 0) }
        #expect(throws: SensitivityError.noGroups) { try SobolDesign(inputNames: ["a"], groups: [], baseSamples: 8, seed: 0) }
        #expect(throws: SensitivityError.inputListedTwice(input: "a", group: "g")) {
            try SobolDesign(inputNames: ["a", "b"], groups: [InputGroup(name: "g", inputs: [0, 0, 1])], baseSamples: 8, seed: 0)
        }
        #expect(throws: SensitivityError.inputListedTwice(input: "b", group: "h")) {
            try SobolDesign(inputNames: ["a", "b"],
                            groups: [InputGroup(name: "g", inputs: [0, 1]), InputGroup(name: "h", inputs: [1])],
                            baseSamples: 8, seed: 0)
        }
        #expect(throws: SensitivityError.unknownInput(index: 2, group: "g", inputCount: 2)) {
            try SobolDesign(inputNames: ["a", "b"], groups: [InputGroup(name: "g", inputs: [0, 1, 2])], baseSamples: 8, seed: 0)
        }
        #expect(throws: SensitivityError.ungroupedInput(input: "b")) {
            try SobolDesign(inputNames: ["a", "b"], groups: [InputGroup(name: "g", inputs: [0])], baseSamples: 8, seed: 0)
        }
        #expect(throws: SensitivityError.emptyGroup(group: "g")) {
            try SobolDesign(inputNames: ["a"], groups: [InputGroup(name: "g", inputs: [])], baseSamples: 8, seed: 0)
        }
        #expect(throws: SensitivityError.tooManyInputs(513, maximum: 512)) {
            try SobolDesign(inputNames: (0..<513).map { "x\($0)" }, baseSamples: 8, seed: 0)
        }
    }

    @Test func morrisDesignRejectsBadInputs() {
        #expect(throws: SensitivityError.tooFewLevels(1)) { try MorrisDesign(inputNames: ["a"], levels: 1, seed: 0) }
        #expect(throws: SensitivityError.oddLevels(5)) { try MorrisDesign(inputNames: ["a"], levels: 5, seed: 0) }
        #expect(throws: SensitivityError.tooFewTrajectories(1)) { try MorrisDesign(inputNames: ["a"], trajectories: 1, seed: 0) }
        // Two points per trajectory for one input: 2^27 trajectories make exactly the 2^28 allowed.
        #expect(throws: Never.self) { try MorrisDesign(inputNames: ["a"], trajectories: 1 << 27, seed: 0) }
        #expect(throws: SensitivityError.tooManyEvaluations(rows: (1 << 27) + 1, pointsPerRow: 2, maximum: 1 << 28)) {
            try MorrisDesign(inputNames: ["a"], trajectories: (1 << 27) + 1, seed: 0)
        }
        #expect(throws: SensitivityError.tooManyEvaluations(rows: .max, pointsPerRow: 2, maximum: 1 << 28)) {
            try MorrisDesign(inputNames: ["a"], trajectories: .max, seed: 0)
        }
        #expect(throws: SensitivityError.noInputs) { try MorrisDesign(inputNames: [], seed: 0) }
        #expect(throws: SensitivityError.unknownInput(index: -1, group: "g", inputCount: 1)) {
            try MorrisDesign(inputNames: ["a"], groups: [InputGroup(name: "g", inputs: [-1])], seed: 0)
        }
    }

    @Test func analysisRejectsBadOutputsAndOptions() throws {
        let design = try SobolDesign(inputNames: ["a", "b"], baseSamples: 4, seed: 0)
        #expect(throws: SensitivityError.outputCountMismatch(expected: 16, actual: 3)) {
            try SobolIndices(design: design, outputs: [1, 2, 3])
        }
        var outputs = (0..<16).map(Double.init)
        outputs[5] = .nan
        #expect(throws: SensitivityError.self) { try SobolIndices(design: design, outputs: outputs) }
        #expect(throws: SensitivityError.constantOutput) {
            try SobolIndices(design: design, outputs: [Double](repeating: 2, count: 16))
        }
        // A value fixed in theory that its computation leaves a few ulps apart is still constant.
        #expect(throws: SensitivityError.constantOutput) {
            try SobolIndices(design: design, outputs: (0..<16).map { 105 + Double($0 % 3) * (105 as Double).ulp })
        }
        // A spread of a millionth is variation.
        #expect(throws: Never.self) {
            try SobolIndices(design: design, outputs: (0..<16).map { 105 * (1 + 1e-6 * Double($0)) })
        }
        let fine = (0..<16).map(Double.init)
        #expect(throws: SensitivityError.tooFewResamples(1)) {
            try SobolIndices(design: design, outputs: fine, intervals: .bootstrap(BootstrapOptions(resamples: 1)))
        }
        #expect(throws: SensitivityError.tooManyResamples(100_001, maximum: 100_000)) {
            try SobolIndices(design: design, outputs: fine, intervals: .bootstrap(BootstrapOptions(resamples: 100_001)))
        }
        #expect(throws: SensitivityError.invalidConfidenceLevel(1)) {
            try SobolIndices(design: design, outputs: fine, intervals: .bootstrap(BootstrapOptions(confidenceLevel: 1)))
        }
        #expect(throws: SensitivityError.invalidConfidenceLevel(0)) {
            try SobolIndices(design: design, outputs: fine, intervals: .asymptotic(confidenceLevel: 0))
        }
        #expect(throws: SensitivityError.invalidThreadCount(0)) {
            try evaluateDesign(design, threads: 0) { _ in SobolGFunction(a: [0, 1]) }
        }
        // More threads than chunks: the extra workers are never made, and the outputs are the same.
        let single = try evaluateDesign(design, threads: 1) { _ in SobolGFunction(a: [0, 1]) }
        let many = try evaluateDesign(design, threads: .max) { _ in SobolGFunction(a: [0, 1]) }
        #expect(single.map(\.bitPattern) == many.map(\.bitPattern) && single.count == 16)
        #expect(throws: SensitivityError.rowsOutOfRange(2..<5, rowCount: 4)) {
            try evaluateDesign(design, rows: 2..<5, threads: 1) { _ in SobolGFunction(a: [0, 1]) }
        }
        let morris = try MorrisDesign(inputNames: ["a"], trajectories: 2, seed: 0)
        #expect(throws: SensitivityError.nonFiniteOutput(index: 3, value: .infinity)) {
            try MorrisIndices(design: morris, outputs: [0, 1, 2, .infinity])
        }
    }

    @Test func errorsExplainThemselves() {
        #expect(SensitivityError.tooFewBaseSamples(1).description.contains("at least 2"))
        #expect(SensitivityError.ungroupedInput(input: "price").description.contains("price"))
    }
}
