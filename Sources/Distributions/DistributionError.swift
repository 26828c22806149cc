/// A rejected distribution or copula parameter: which one, its value and what would be allowed.
public struct DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The distribution or object the parameter belongs to, e.g. "triangular" or "GaussianCopula".
    public let distribution: String
    /// The parameter, e.g. "mode", "weights[2]" or "rankCorrelation[0][1]".
    public let parameter: String
    /// The rejected value as written in the message.
    public let value: String
    /// What the parameter must satisfy.
    public let allowed: String

    public init(distribution: String, parameter: String, value: String, allowed: String) {
        self.distribution = distribution
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
    }

    public var description: String {
        "\(distribution): \(parameter) = \(value) is not allowed; it must be \(allowed)"
    }
}
