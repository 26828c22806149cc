import Testing
@testable import Sampling

private func fraction(_ x: UInt32) -> Double { Double(x) * 0x1p-32 }

// The first points of Joe and Kuo's generator (sobol.cc output, new-joe-kuo-6.21201; the same table is in
// scipy.stats.qmc.Sobol's documentation): points 1–4 of dimensions 1–3 are
// (0.5, 0.5, 0.5), (0.75, 0.25, 0.25), (0.25, 0.75, 0.75), (0.375, 0.375, 0.625).
@Test func firstPointsMatchTheJoeKuoTable() throws {
    let sobol = try SobolSequence(dimensions: 3)
    let expected: [[Double]] = [[0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75], [0.375, 0.375, 0.625]]
    for (index, point) in expected.enumerated() {
        for dimension in 0..<3 {
            #expect(fraction(sobol.point(UInt64(index), dimension: dimension)) == point[dimension])
        }
    }
}

// Unscrambled 32-bit coordinates from a public reference implementation, scipy 1.17
// `qmc.Sobol(d=1024, scramble=False, bits=32)` (same Joe–Kuo file, same Gray-code order), times 2^32,
// for 0-based dimensions 9, 99, 511 and 1023: the last checks the final line of the embedded table.
@Test(arguments: [
    (7, [3_758_096_384, 2_684_354_560, 536_870_912, 2_684_354_560]),
    (100, [2_986_344_448, 3_791_650_816, 2_248_146_944, 4_060_086_272]),
    (127, [2_315_255_808, 1_509_949_440, 771_751_936, 1_241_513_984]),
] as [(UInt64, [UInt32])])
func highDimensionsMatchAReferenceImplementation(index: UInt64, expected: [UInt32]) throws {
    let sobol = try SobolSequence(dimensions: SobolSequence.maxDimensions)
    for (dimension, value) in zip([9, 99, 511, 1023], expected) {
        #expect(sobol.point(index, dimension: dimension) == value, "dimension \(dimension)")
    }
}

@Test func grayCodeFillEqualsDirectEvaluation() throws {
    let sobol = try SobolSequence(dimensions: 40)
    var batch = [UInt32](repeating: 0, count: 300)
    for dimension in [0, 1, 17, 39] {
        batch.withUnsafeMutableBufferPointer { sobol.fill(dimension: dimension, from: 1000, into: $0) }
        #expect(batch == (0..<300).map { sobol.point(1000 + UInt64($0), dimension: dimension) })
    }
}

@Test func atLeast1024DimensionsAndAClearErrorBeyond() {
    #expect(SobolSequence.maxDimensions >= 1024)
    #expect(throws: SamplingError.tooManyDimensions(requested: 1025, supported: 1024)) {
        try SobolSequence(dimensions: 1025)
    }
    #expect(throws: SamplingError.negativeDimensionCount(-1)) { try SobolSequence(dimensions: -1) }
}

@Test func everyDimensionOfTheTableIsAValidSobolGenerator() throws {
    // The first 2^m unscrambled points of a Sobol' dimension are exactly the multiples of 2^-m:
    // this fails for any mistyped or misparsed direction number with index below m.
    let sobol = try SobolSequence(dimensions: SobolSequence.maxDimensions)
    let m = 8
    var values = [UInt32](repeating: 0, count: 1 << m)
    for dimension in 0..<sobol.dimensions {
        values.withUnsafeMutableBufferPointer { sobol.fill(dimension: dimension, from: 0, into: $0) }
        #expect(Set(values.map { $0 >> (32 - m) }).count == 1 << m, "dimension \(dimension)")
        #expect(values.allSatisfy { $0 & ((1 << (32 - m)) - 1) == 0 }, "dimension \(dimension)")
    }
}

@Test func owenScrambleIsANestedPermutation() {
    // Points that share their top k bits must still share them after scrambling (prefix-preserving),
    // and the scramble is a bijection on each prefix's children.
    for seed: UInt32 in [0, 1, 0xDEAD_BEEF] {
        for x: UInt32 in [0, 0x1234_5678, 0xFFFF_FFFF, 0x8000_0000] {
            let y = x ^ 1   // differs in the last bit only
            #expect(owenScramble(x, seed: seed) >> 1 == owenScramble(y, seed: seed) >> 1)
            #expect(owenScramble(x, seed: seed) != owenScramble(y, seed: seed))
        }
    }
    #expect(reversedBits(0x0000_0001) == 0x8000_0000)
    #expect(reversedBits(0x1234_5678) == 0x1E6A_2C48)
}
