import Foundation

/// S-shaped growth curves.
public enum CurveModel: String, CaseIterable, Sendable {
    /// y = K / (1 + exp(−r (t − t0))); parameters [K, r, t0].
    case logistic
    /// y = K / (1 + exp(−r (t − t0)))^(1/ν); parameters [K, r, t0, ν]. ν = 1 is the logistic.
    case richards

    /// Parameter names in the order of the parameter vector.
    public var parameterNames: [String] {
        switch self {
        case .logistic: ["K", "r", "t0"]
        case .richards: ["K", "r", "t0", "nu"]
        }
    }

    /// Length of the parameter vector.
    public var parameterCount: Int { parameterNames.count }

    /// The curve at `t` for parameters `p`.
    public func value(_ t: Double, _ p: [Double]) -> Double {
        let z = p[1] * (t - p[2])
        switch self {
        case .logistic:
            return p[0] * logisticSigmoid(z)
        case .richards:
            // (1 + e^(−z))^(−1/ν) = exp(−ln(1 + e^(−z)) / ν), stable for either sign of z.
            return p[0] * exp(-softplus(-z) / p[3])
        }
    }

    /// ∂value/∂p at `t`, in parameter order.
    public func gradient(_ t: Double, _ p: [Double]) -> [Double] {
        let (k, r, t0) = (p[0], p[1], p[2])
        let z = r * (t - t0)
        switch self {
        case .logistic:
            let s = logisticSigmoid(z)
            let slope = k * s * logisticSigmoid(-z)
            return [s, slope * (t - t0), -slope * r]
        case .richards:
            let nu = p[3]
            let logBase = softplus(-z)
            let shape = exp(-logBase / nu)
            let y = k * shape
            // d/dz of −ln(1 + e^(−z)) / ν is σ(−z) / ν.
            let slope = y * logisticSigmoid(-z) / nu
            return [shape, slope * (t - t0), -slope * r, y * logBase / (nu * nu)]
        }
    }
}
