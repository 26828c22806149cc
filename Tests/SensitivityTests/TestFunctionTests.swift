import Foundation
import Testing
import Sensitivity

@Suite struct TestFunctionTests {
    @Test func ishigamiAnalyticMatchesPublishedValues() {
        // Published for a = 7, b = 0.1: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
        // (Sobol' and Levitan 1999; Marrel et al. 2009; SALib and UQTestFuns documentation), variance 13.8446.
        let exact = IshigamiFunction(a: 7, b: 0.1).analyticIndices
        #expect(abs(exact.variance - 13.8446) < 1e-4)
        for (value, published) in zip(exact.S1, [0.3139, 0.4424, 0]) { #expect(abs(value - published) < 1e-4) }
        for (value, published) in zip(exact.ST, [0.5576, 0.4424, 0.2437]) { #expect(abs(value - published) < 1e-4) }
        // Only x1 and x3 interact, so S13 = ST3 and the indices sum to one.
        #expect(abs(exact.S2[0][2] - exact.ST[2]) < 1e-15)
        #expect(abs(exact.S1.reduce(0, +) + exact.S2[0][2] - 1) < 1e-14)
    }

    @Test func ishigamiEvaluatesTheFormula() {
        var f = IshigamiFunction(a: 7, b: 0.1)
        // u = 3/4, 1/4, 3/4 maps to x = π/2, −π/2, π/2: f = 1 + 7 + 0.1 (π/2)⁴.
        let points: [Double] = [0.75, 0.25, 0.75]
        var output = [0.0]
        points.withUnsafeBufferPointer { p in
            output.withUnsafeMutableBufferPointer { f.evaluate(points: p, count: 1, into: $0) }
        }
        #expect(abs(output[0] - (8 + 0.1 * pow(Double.pi / 2, 4))) < 1e-12)
    }

    @Test func sobolGPartialVarianceMatchesQuadrature() {
        // The factor's variance by the midpoint rule, independent of the closed form 1 / (3 (1 + a)²).
        for a in [0.0, 1, 4.5, 99] {
            let n = 100_000
            var sum = 0.0, squares = 0.0
            for i in 0..<n {
                let g = (abs(4 * (Double(i) + 0.5) / Double(n) - 2) + a) / (1 + a)
                sum += g
                squares += g * g
            }
            let variance = squares / Double(n) - (sum / Double(n)) * (sum / Double(n))
            let exact = SobolGFunction(a: [a]).analyticIndices
            #expect(abs(exact.variance - variance) < 1e-8)
            #expect(abs(exact.S1[0] - 1) < 1e-12 && abs(exact.ST[0] - 1) < 1e-12)
        }
    }

    @Test func sobolGAnalyticIndicesDecompose() {
        // With two inputs all subsets are S1, S2 and S12; Sobol's decomposition makes them sum to one,
        // and ST_i = S_i + S12.
        let two = SobolGFunction(a: [0, 2]).analyticIndices
        #expect(abs(two.S1[0] + two.S1[1] + two.S2[0][1] - 1) < 1e-15)
        #expect(abs(two.ST[0] - two.S1[0] - two.S2[0][1]) < 1e-15)
        #expect(abs(two.ST[1] - two.S1[1] - two.S2[0][1]) < 1e-15)
        // Smaller a, more important.
        let eight = SobolGFunction(a: [0, 1, 4.5, 9, 99, 99, 99, 99]).analyticIndices
        #expect(zip(eight.S1, eight.S1.dropFirst()).allSatisfy { $0 >= $1 })
    }
}
