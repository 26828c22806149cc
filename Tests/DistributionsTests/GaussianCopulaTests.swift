import Foundation
import Testing
import Distributions

/// Ranks 0..<n of the values (no ties expected among continuous draws).
private func ranks(_ values: ArraySlice<Double>) -> [Double] {
    var result = [Double](repeating: 0, count: values.count)
    for (rank, index) in values.indices.sorted(by: { values[$0] < values[$1] }).enumerated() {
        result[index - values.startIndex] = Double(rank)
    }
    return result
}

private func spearman(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
    let rx = ranks(x), ry = ranks(y)
    let mean = Double(rx.count - 1) / 2
    var sxy = 0.0, sxx = 0.0
    for (a, b) in zip(rx, ry) {
        sxy += (a - mean) * (b - mean)
        sxx += (a - mean) * (a - mean)
    }
    return sxy / sxx
}

@Test func copulaAchievesTheTargetRankCorrelationWithUniformMarginals() throws {
    let target = [[1.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 1.0]]
    let copula = try GaussianCopula(rankCorrelation: target)
    let n = 1 << 14
    var generator = SplitMix64(state: 2024)
    var u = (0..<(3 * n)).map { _ in generator.nextUniform() }
    u.withUnsafeMutableBufferPointer { copula.correlate($0, dimensions: 3, count: n) }
    #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
    // Standard error of a sample Spearman ρ is below 1/√n ≈ 0.008; allow four of them.
    for row in 0..<3 {
        let column = u[(row * n)..<((row + 1) * n)]
        #expect(abs(column.reduce(0, +) / Double(n) - 0.5) < 4 * (1.0 / 12 / Double(n)).squareRoot())
        for other in (row + 1)..<3 {
            let achieved = spearman(column, u[(other * n)..<((other + 1) * n)])
            #expect(abs(achieved - target[row][other]) < 0.032, "ρ[\(row)][\(other)] = \(achieved)")
        }
    }
}

@Test func identityCorrelationLeavesUniformsUnchanged() throws {
    let copula = try GaussianCopula(rankCorrelation: [[1, 0], [0, 1]])
    let original = [0.1, 0.5, 0.9, 1e-12, 0.25, 0.75]
    var u = original
    u.withUnsafeMutableBufferPointer { copula.correlate($0, dimensions: 2, count: 3) }
    for (a, b) in zip(u, original) { #expect(abs(a - b) <= 1e-15 * max(b, 1e-3)) }
}

@Test func pearsonConversionIsTwoSinePiRhoOverSix() throws {
    // For two dimensions L = [[1, 0], [r, √(1 - r²)]] with r = 2 sin(π ρs / 6).
    let copula = try GaussianCopula(rankCorrelation: [[1, 0.5], [0.5, 1]])
    let r = 2 * sin(Double.pi * 0.5 / 6)
    #expect(abs(copula.choleskyFactor[2] - r) < 1e-15)
    #expect(abs(copula.choleskyFactor[3] - (1 - r * r).squareRoot()) < 1e-15)
    #expect(copula.choleskyFactor[1] == 0)
}

private func rejectedEntry(_ matrix: [[Double]]) -> String? {
    do {
        _ = try GaussianCopula(rankCorrelation: matrix)
        return nil
    } catch {
        return error.parameter
    }
}

@Test func invalidMatricesAreRejectedNamingTheEntry() {
    #expect(rejectedEntry([]) == "rankCorrelation")
    #expect(rejectedEntry([[1, 0.2], [0.2]]) == "rankCorrelation[1].count")
    #expect(rejectedEntry([[1, 0.2], [0.2, 0.9]]) == "rankCorrelation[1][1]")
    #expect(rejectedEntry([[1, 1.5], [1.5, 1]]) == "rankCorrelation[0][1]")
    #expect(rejectedEntry([[1, -1], [-1, 1]]) == "rankCorrelation[0][1]")
    #expect(rejectedEntry([[1, 0.2, 0], [0.3, 1, 0], [0, 0, 1]]) == "rankCorrelation[0][1]")
    #expect(rejectedEntry([[1, 0, 0], [0, 1, .nan], [0, .nan, 1]]) == "rankCorrelation[1][2]")
    // Pairwise plausible but jointly impossible: x ~ y, y ~ z strongly, x and z strongly opposed.
    #expect(rejectedEntry([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]) == "rankCorrelation")
}

@Test func notPositiveDefiniteMessageSaysWhereToLook() {
    #expect(throws: DistributionError.self) {
        try GaussianCopula(rankCorrelation: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    }
    do {
        _ = try GaussianCopula(rankCorrelation: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    } catch {
        #expect(error.description.contains("leading 3×3 block is not positive definite"))
    }
}
