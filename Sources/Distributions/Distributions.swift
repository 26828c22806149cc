// Interim stand-in until the Distributions module lands (same public surface).
public enum Distribution: Sendable, Equatable {
    case uniform(min: Double, max: Double)
    case triangular(min: Double, mode: Double, max: Double)
    case normal(mean: Double, sd: Double)
    case truncatedNormal(mean: Double, sd: Double, lower: Double, upper: Double)
    case lognormal(mu: Double, sigma: Double)
    case pert(min: Double, mode: Double, max: Double)
    case discrete(values: [Double], weights: [Double])

    public struct InvalidParameters: Error, CustomStringConvertible { public var description: String }

    public func validate() throws {
        switch self {
        case .uniform(let a, let b): if !(a < b) { throw InvalidParameters(description: "min must be < max") }
        case .normal(_, let sd): if !(sd > 0) { throw InvalidParameters(description: "sd must be > 0") }
        default: break
        }
    }
}
