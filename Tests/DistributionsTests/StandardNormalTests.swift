import Testing
import Distributions

private func relativeError(_ x: Double, _ reference: Double) -> Double {
    abs(x - reference) / abs(reference)
}

// Wichura (1988), AS 241, Applied Statistics 37(3): the paper's test values for PPND16, one per branch.
@Test(arguments: [
    (0.25, -0.6744897501960817),
    (0.001, -3.090232306167814),
    (1e-20, -9.262340089798408),
])
func quantileMatchesWichurasTestValues(p: Double, expected: Double) {
    #expect(relativeError(standardNormalQuantile(p), expected) < 1e-15)
}

// Tabulated percentage points: Φ⁻¹(0.975) = 1.95996398454005423552 (the two-sided 95 % point) and
// Φ⁻¹(1e-10) = -6.36134090240405620470, both confirmed at 30 digits with mpmath (root of ncdf(z) = p).
@Test func quantileMatchesTabulatedPercentagePoints() {
    #expect(relativeError(standardNormalQuantile(0.975), 1.959963984540054) < 1e-15)
    #expect(relativeError(standardNormalQuantile(1e-10), -6.361340902404056) < 1e-15)
    #expect(standardNormalQuantile(0.5) == 0)
}

@Test func quantileIsAntisymmetricAndInfiniteAtTheEnds() {
    // Dyadic p, so 1 - p is exact and the symmetry must hold to the last bit.
    for p in [0x1p-40, 0x1p-10, 0.03125, 0.125, 0.375, 0.4375] {
        #expect(standardNormalQuantile(p) == -standardNormalQuantile(1 - p))
    }
    #expect(standardNormalQuantile(0) == -.infinity)
    #expect(standardNormalQuantile(1) == .infinity)
}

// Reference values of Φ computed at 30 significant digits with mpmath (ncdf), an independent
// arbitrary-precision library: Φ(1.96) = 0.975002104851779564, Φ(-5) = 2.86651571879193912e-7,
// Φ(-10) = 7.61985302416052607e-24.
@Test func cdfMatchesTabulatedValuesIncludingTheLowerTail() {
    #expect(relativeError(standardNormalCDF(1.96), 0.97500210485177956) < 1e-15)
    #expect(relativeError(standardNormalCDF(-5), 2.8665157187919391e-7) < 1e-14)
    #expect(relativeError(standardNormalCDF(-10), 7.6198530241605261e-24) < 1e-13)
    #expect(standardNormalCDF(0) == 0.5)
}

@Test func cdfInvertsTheQuantileAcrossBranches() {
    for p in [1e-300, 1e-100, 1e-20, 1e-11, 1e-5, 0.02, 0.075, 0.2, 0.5, 0.8, 0.93, 0.999] {
        let z = standardNormalQuantile(p)
        // Φ's relative condition number is about z², so the deep tail loses that many ulps.
        #expect(relativeError(standardNormalCDF(z), p) < 1e-15 * max(1, z * z), "p = \(p)")
    }
}

@Test func batchQuantilesEqualTheScalarOnesBitForBitInPlaceToo() {
    // Groups of four all central, all in a tail, and mixed; the region's edges; 0, 1 and NaN; a remainder.
    let edge = 0.5 + 0.425
    var p = [0.3, 0.4, 0.6, 0.7, 1e-300, 0.01, 0.99, 1 - 0x1p-53, 0.2, 0.0015, 0.5, 0.75,
             edge, edge.nextUp, 1 - edge, (1 - edge).nextDown, 0, 1, .nan, 0.5, 0.123, 0.877, 0.02]
    let expected = p.map { standardNormalQuantile($0).bitPattern }
    p.withUnsafeMutableBufferPointer { standardNormalQuantiles($0.baseAddress!, count: $0.count, into: $0.baseAddress!) }
    #expect(p.map(\.bitPattern) == expected)
}
