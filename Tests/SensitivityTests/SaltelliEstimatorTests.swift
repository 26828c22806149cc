import RandomStreams
@testable import Sensitivity
import Testing

@Suite struct SaltelliEstimatorTests {
    /// The estimators, summed a block of rows and a group of factors at a time over multisets given as
    /// sorted row lists, equal the definitions summed row by row in one plain loop per index, bit for
    /// bit: 5 factors (a short last group), 300 rows (several blocks), rows drawn 0 to several times.
    @Test(arguments: [false, true])
    func blockedSumsEqualTheDefinitions(secondOrder: Bool) {
        let k = 5, rowCount = 300, replicates = 3, lanes = 3
        let stride = (secondOrder ? 2 : 1) * k + 2
        let stream = CounterStream(seed: 11, stream: 2)
        let outputs = (0..<lanes).map { l in (0..<(rowCount * stride)).map { stream.uniform(at: UInt64(l * rowCount * stride + $0)) * Double(l + 1) } }
        let block = SaltelliEstimators(outputs: outputs, factorCount: k, secondOrder: secondOrder)
        // Replicate j draws row r `counts[j][r]` times: rowCount draws in all.
        let counts = (0..<replicates).map { j in
            var drawn = [Int](repeating: 0, count: rowCount)
            for t in 0..<rowCount { drawn[min(Int(stream.uniform(at: UInt64(1_000_000 + j * rowCount + t)) * Double(rowCount)), rowCount - 1)] += 1 }
            return drawn
        }
        #expect(counts.allSatisfy { $0.contains { $0 >= 3 } && $0.contains(0) })
        let rows = counts.flatMap { drawn in drawn.indices.flatMap { r in [UInt32](repeating: UInt32(r), count: drawn[r]) } }
        let statistics = block.statisticCount
        var out = [SaltelliEstimators.Lanes](repeating: .zero, count: replicates * statistics)
        var variances = [SaltelliEstimators.Lanes](repeating: .zero, count: replicates), means = variances
        rows.withUnsafeBufferPointer { rows in
            out.withUnsafeMutableBufferPointer { out in
                means.withUnsafeMutableBufferPointer { means in
                    variances.withUnsafeMutableBufferPointer { block.estimate(rows: rows, replicates: replicates, into: out, means: means, variances: $0) }
                }
            }
        }
        let n = Double(rowCount)
        for j in 0..<replicates {
            for l in 0..<lanes {
                func y(_ r: Int, _ p: Int) -> Double { block.centred[r * stride + p][l] }
                let draws = (0..<rowCount).flatMap { r in [Int](repeating: r, count: counts[j][r]) }
                var mean = 0.0
                for r in draws { mean += y(r, 0) + y(r, stride - 1) }
                mean /= 2 * n
                var variance = 0.0
                for r in draws {
                    let a = y(r, 0) - mean, b = y(r, stride - 1) - mean
                    variance = variance.addingProduct(a, a).addingProduct(b, b)
                }
                variance /= 2 * n
                var first = [Double](repeating: 0, count: k), total = first, pairs: [Double] = []
                for i in 0..<k {
                    for r in draws {
                        let d = y(r, 0) - y(r, 1 + i)
                        first[i] = first[i].addingProduct(-y(r, stride - 1), d)
                        total[i] = total[i].addingProduct(d, d)
                    }
                }
                for i in 0..<k where secondOrder {
                    for m in (i + 1)..<k {
                        var sum = 0.0
                        for r in draws { sum += y(r, 1 + k + i) * y(r, 1 + m) - y(r, 0) * y(r, stride - 1) }
                        pairs.append(sum / (n * variance) - first[i] / (n * variance) - first[m] / (n * variance))
                    }
                }
                let expected = first.map { $0 / (n * variance) } + total.map { $0 / (2 * n * variance) } + pairs
                let got = (0..<statistics).map { out[j * statistics + $0][l] }
                #expect(means[j][l] == mean && variances[j][l] == variance)
                #expect(got == expected, "replicate \(j), lane \(l)")
            }
        }
    }
}
