import Foundation
import RandomStreams
import Testing
@testable import Sampling

private let keys = ["capex", "efficiency", "adoption", "grid factor", "lifetime"].map(streamKey)

private func sample(_ sampler: UniformSampler, firstIndex: Int, count: Int) -> [Double] {
    var out = [Double](repeating: .nan, count: sampler.dimensionKeys.count * count)
    out.withUnsafeMutableBufferPointer { sampler.fill(firstIndex: firstIndex, count: count, into: $0) }
    return out
}

/// Column d (all samples of dimension d) of a dimension-major block.
private func column(_ block: [Double], _ d: Int, count: Int) -> [Double] {
    Array(block[(d * count)..<((d + 1) * count)])
}

@Test(arguments: SamplerKind.allCases)
func pointsAreStrictlyInsideTheUnitCube(kind: SamplerKind) throws {
    let sampler = try UniformSampler(kind: kind, seed: 11, dimensionKeys: keys)
    #expect(sample(sampler, firstIndex: 0, count: 1024).allSatisfy { $0 > 0 && $0 < 1 })
}

@Test func mcIsTheDocumentedCounterStream() throws {
    let sampler = try UniformSampler(kind: .mc, seed: 99, dimensionKeys: keys)
    let block = sample(sampler, firstIndex: 500, count: 20)
    for d in keys.indices {
        let stream = CounterStream(seed: 99, stream: keys[d])
        #expect(column(block, d, count: 20) == (0..<20).map { stream.uniform(at: UInt64(500 + $0)) })
    }
}

@Test(arguments: [SamplerKind.mc, .sobol])
func anySplitOfTheRangeGivesTheSamePoints(kind: SamplerKind) throws {
    let sampler = try UniformSampler(kind: kind, seed: 3, dimensionKeys: keys)
    let whole = sample(sampler, firstIndex: 0, count: 1000)
    let pieces = [(0, 1), (1, 300), (301, 211), (512, 488)].map { sample(sampler, firstIndex: $0.0, count: $0.1) }
    for d in keys.indices {
        let joined = pieces.flatMap { column($0, d, count: $0.count / keys.count) }
        #expect(joined == column(whole, d, count: 1000))
    }
}

@Test func latinHypercubeChunksDependOnlyOnTheirOwnRange() throws {
    let sampler = try UniformSampler(kind: .lhs, seed: 3, dimensionKeys: keys)
    let again = try UniformSampler(kind: .lhs, seed: 3, dimensionKeys: keys)
    // Chunks computed in another order, by another instance (another thread or shard), are identical.
    let second = sample(sampler, firstIndex: 256, count: 256)
    _ = sample(again, firstIndex: 0, count: 256)
    #expect(sample(again, firstIndex: 256, count: 256) == second)
    #expect(sample(sampler, firstIndex: 0, count: 256) != second)
}

@Test(arguments: [(0, 1000), (3000, 1000), (7, 1), (64, 2)])
func latinHypercubeHasOnePointPerStratumInEveryDimension(firstIndex: Int, count: Int) throws {
    let sampler = try UniformSampler(kind: .lhs, seed: 21, dimensionKeys: keys)
    let block = sample(sampler, firstIndex: firstIndex, count: count)
    for d in keys.indices {
        let strata = column(block, d, count: count).map { Int(($0 * Double(count)).rounded(.down)) }
        #expect(Set(strata) == Set(0..<count))
    }
}

@Test(arguments: [SamplerKind.mc, .lhs])
func inputsSharingANameShareTheirDraws(kind: SamplerKind) throws {
    // Common random numbers: scenario B drops an input and adds another; "adoption" keeps its column.
    let a = try UniformSampler(kind: kind, seed: 8, dimensionKeys: keys)
    let bKeys = [streamKey("heat pump price"), keys[2], keys[0]]
    let b = try UniformSampler(kind: kind, seed: 8, dimensionKeys: bKeys)
    let blockA = sample(a, firstIndex: 128, count: 128), blockB = sample(b, firstIndex: 128, count: 128)
    #expect(column(blockA, 2, count: 128) == column(blockB, 1, count: 128))
    #expect(column(blockA, 0, count: 128) == column(blockB, 2, count: 128))
    #expect(column(blockA, 1, count: 128) != column(blockB, 0, count: 128))
}

@Test func scrambledSobolKeepsOnePointPerDyadicIntervalInEveryDimension() throws {
    // The (0, m, 1)-net property of each coordinate survives nested scrambling, for the first 2^m points
    // and for any aligned block of 2^m points.
    let manyKeys = (0..<64).map { streamKey("input \($0)") }
    let sampler = try UniformSampler(kind: .sobol, seed: 5, dimensionKeys: manyKeys)
    let m = 10, n = 1 << m
    for firstIndex in [0, 3 * n] {
        let block = sample(sampler, firstIndex: firstIndex, count: n)
        for d in manyKeys.indices {
            let cells = Set(column(block, d, count: n).map { Int($0 * Double(n)) })
            #expect(cells.count == n, "dimension \(d)")
        }
    }
}

@Test func scrambledSobolFirstTwoDimensionsFormAZeroMTwoNet() throws {
    // Sobol' dimensions 1 and 2 form a (0, m, 2)-net: every 2^k × 2^(m-k) grid has one point per cell.
    let sampler = try UniformSampler(kind: .sobol, seed: 17, dimensionKeys: Array(keys.prefix(2)))
    let m = 8, n = 1 << m
    let block = sample(sampler, firstIndex: 0, count: n)
    for k in 0...m {
        let cells = Set((0..<n).map { i in
            Int(block[i] * Double(1 << k)) * (1 << (m - k)) + Int(block[n + i] * Double(1 << (m - k)))
        })
        #expect(cells.count == n, "grid 2^\(k) × 2^\(m - k)")
    }
}

@Test func differentSeedsScrambleDifferently() throws {
    let a = try UniformSampler(kind: .sobol, seed: 1, dimensionKeys: keys)
    let b = try UniformSampler(kind: .sobol, seed: 2, dimensionKeys: keys)
    #expect(sample(a, firstIndex: 0, count: 16) != sample(b, firstIndex: 0, count: 16))
}

@Test func sobolIntegratesASmoothFunctionFarBetterThanMonteCarlo() throws {
    // ∫ Π_d e^{u_d} / (e - 1) du = 1 over (0, 1)^5. Root-mean-square errors over eight seeds at N = 4096:
    // Monte Carlo ~ 0.7/√N ≈ 1e-2; scrambled Sobol' close to N^-1.5 for smooth integrands.
    let n = 4096, dims = keys.count
    func rmsError(_ kind: SamplerKind) throws -> Double {
        var sumSquares = 0.0
        for seed in UInt64(1)...8 {
            let block = sample(try UniformSampler(kind: kind, seed: seed, dimensionKeys: keys), firstIndex: 0, count: n)
            var integral = 0.0
            for i in 0..<n {
                var product = 1.0
                for d in 0..<dims { product *= exp(block[d * n + i]) / (M_E - 1) }
                integral += product
            }
            let error = integral / Double(n) - 1
            sumSquares += error * error
        }
        return (sumSquares / 8).squareRoot()
    }
    let mc = try rmsError(.mc), sobol = try rmsError(.sobol)
    #expect(sobol * 20 < mc, "rms error sobol \(sobol), mc \(mc)")
    #expect(mc < 0.05)
}

@Test func invalidConfigurationsAreRejectedClearly() {
    #expect(throws: SamplingError.duplicateDimensionKey(keys[1], firstPosition: 1, secondPosition: 3)) {
        try UniformSampler(kind: .mc, seed: 1, dimensionKeys: [keys[0], keys[1], keys[2], keys[1]])
    }
    let tooMany = (0..<1025).map { streamKey("x\($0)") }
    #expect(throws: SamplingError.tooManyDimensions(requested: 1025, supported: 1024)) {
        try UniformSampler(kind: .sobol, seed: 1, dimensionKeys: tooMany)
    }
    #expect(throws: Never.self) { try UniformSampler(kind: .mc, seed: 1, dimensionKeys: tooMany) }
    #expect(SamplingError.tooManyDimensions(requested: 1025, supported: 1024).description.contains("at most 1024"))
}
