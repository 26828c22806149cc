import Foundation
import Testing
@testable import Distributions

/// I_x(a, b) for integer a, b as the binomial tail Σ_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^{a+b-1-j}
/// (Abramowitz & Stegun 26.5.4 / 6.6.4): an exact reference independent of the continued fraction.
private func binomialTail(_ x: Double, _ a: Int, _ b: Int) -> Double {
    let n = a + b - 1
    var sum = 0.0, binomial = 1.0
    for j in 0...n {
        if j > 0 { binomial = binomial * Double(n - j + 1) / Double(j) }
        if j >= a { sum += binomial * pow(x, Double(j)) * pow(1 - x, Double(n - j)) }
    }
    return sum
}

@Test func incompleteBetaMatchesBinomialTailsForIntegerShapes() {
    for (a, b) in [(1, 1), (2, 3), (5, 1), (3, 3), (4, 2), (1, 5)] {
        for x in [0.01, 0.2, 0.5, 0.77, 0.999] {
            #expect(abs(regularizedIncompleteBeta(x, Double(a), Double(b)) - binomialTail(x, a, b)) < 1e-14)
        }
    }
}

// Closed forms for non-integer shapes (A&S 26.5): I_x(1/2, 1/2) = (2/π) arcsin √x, I_x(a, 1) = x^a,
// I_x(1, b) = 1 - (1 - x)^b.
@Test func incompleteBetaMatchesClosedFormsForNonIntegerShapes() {
    for x in [0.001, 0.1, 0.45, 0.6, 0.97] {
        let arcsine: Double = 2 / Double.pi * asin(x.squareRoot())
        let power: Double = pow(x, 2.7)
        let complementPower: Double = 1 - pow(1 - x, 3.3)
        #expect(abs(regularizedIncompleteBeta(x, 0.5, 0.5) - arcsine) < 1e-14)
        #expect(abs(regularizedIncompleteBeta(x, 2.7, 1) - power) < 1e-14)
        #expect(abs(regularizedIncompleteBeta(x, 1, 3.3) - complementPower) < 1e-14)
    }
}

@Test func inverseIncompleteBetaRoundTripsAcrossPertShapes() {
    for (a, b) in [(1.0, 5.0), (5.0, 1.0), (3.0, 3.0), (1.8, 4.2), (4.9, 1.1), (1.0, 1.0)] {
        for p in [0x1p-53, 1e-9, 0.01, 0.3, 0.5, 0.71, 0.99, 1 - 1e-9, 1 - 0x1p-53] {
            let x = inverseRegularizedIncompleteBeta(p, a, b)
            #expect(x >= 0 && x <= 1)
            let error = abs(regularizedIncompleteBeta(x, a, b) - p)
            #expect(error <= max(1e-12 * min(p, 1 - p), 1e-15), "p = \(p), a = \(a), b = \(b)")
        }
    }
}
