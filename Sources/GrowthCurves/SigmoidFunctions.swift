import Foundation

/// 1 / (1 + e^(−z)), without overflow for large |z|.
@inline(__always)
func logisticSigmoid(_ z: Double) -> Double {
    if z >= 0 { return 1 / (1 + exp(-z)) }
    let e = exp(z)
    return e / (1 + e)
}

/// ln(1 + e^z), without overflow for large z or loss of precision for very negative z.
@inline(__always)
func softplus(_ z: Double) -> Double {
    max(z, 0) + log1p(exp(-abs(z)))
}
