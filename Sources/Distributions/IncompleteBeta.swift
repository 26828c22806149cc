import Foundation

/// ln B(a, b).
func logBeta(_ a: Double, _ b: Double) -> Double {
    lgamma(a) + lgamma(b) - lgamma(a + b)
}

/// The regularized incomplete beta function I_x(a, b) for a, b > 0.
///
/// Continued fraction of I_x (Abramowitz & Stegun 26.5.8) evaluated by the modified Lentz method,
/// on whichever of x and 1 - x makes it converge fast (I_x(a, b) = 1 - I_{1-x}(b, a)).
func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logPrefactor = a * log(x) + b * log1p(-x) - logBeta(a, b)
    if x < (a + 1) / (a + b + 2) {
        return exp(logPrefactor) * betaContinuedFraction(x, a, b) / a
    }
    return 1 - exp(logPrefactor) * betaContinuedFraction(1 - x, b, a) / b
}

private func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = 1e-300
    // Lentz: keep the ratios C and D away from zero instead of testing for it.
    func guarded(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }
    var c = 1.0
    var d = 1 / guarded(1 - (a + b) * x / (a + 1))
    var fraction = d
    for m in 1...300 {
        let m = Double(m)
        // Even and odd coefficients d_{2m} and d_{2m+1} of A&S 26.5.8.
        let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 / guarded(1 + even * d)
        c = guarded(1 + even / c)
        fraction *= d * c
        let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 / guarded(1 + odd * d)
        c = guarded(1 + odd / c)
        let step = d * c
        fraction *= step
        if abs(step - 1) < 1e-16 { break }
    }
    return fraction
}

/// The x in [0, 1] with I_x(a, b) = p, for a, b ≥ 1 (a bounded density), by Newton steps kept inside
/// a shrinking bracket, falling back to bisection when a step would leave it.
func inverseRegularizedIncompleteBeta(_ p: Double, _ a: Double, _ b: Double) -> Double {
    if p <= 0 { return 0 }
    if p >= 1 { return 1 }
    let logB = logBeta(a, b)
    // Start from the leading term of the nearer tail: I_x ≈ x^a / (a B) near 0, 1 - (1-x)^b / (b B) near 1.
    var x = p < 0.5
        ? exp((log(p * a) + logB) / a)
        : 1 - exp((log((1 - p) * b) + logB) / b)
    var lower = 0.0, upper = 1.0
    x = x > lower && x < upper ? x : 0.5
    for _ in 0..<100 {
        let residual = regularizedIncompleteBeta(x, a, b) - p
        if residual == 0 { return x }
        if residual < 0 { lower = x } else { upper = x }
        let density = exp((a - 1) * log(x) + (b - 1) * log1p(-x) - logB)
        var next = x - residual / density
        if !(next > lower && next < upper) { next = 0.5 * (lower + upper) }
        if abs(next - x) <= 2 * x.ulp || upper - lower <= 2 * x.ulp { return next }
        x = next
    }
    return x
}
