/// The interval a distribution's draws lie in.
public struct Support: Sendable, Equatable {
    /// May be -infinity.
    public var lower: Double
    /// May be +infinity.
    public var upper: Double
    /// Whether finite bounds are drawn with positive probability: only a discrete distribution's
    /// are; a continuous family reaches its bounds with probability zero.
    public var attainsBounds: Bool

    public init(lower: Double, upper: Double, attainsBounds: Bool) {
        self.lower = lower
        self.upper = upper
        self.attainsBounds = attainsBounds
    }
}

extension Distribution {
    /// Where the draws lie, for checking that they fit what they set (valid parameters assumed).
    public var support: Support {
        switch self {
        case let .uniform(min, max), let .triangular(min, _, max), let .pert(min, _, max):
            return Support(lower: min, upper: max, attainsBounds: false)
        case .normal:
            return Support(lower: -.infinity, upper: .infinity, attainsBounds: false)
        case let .truncatedNormal(_, _, lower, upper):
            return Support(lower: lower, upper: upper, attainsBounds: false)
        case .lognormal:
            return Support(lower: 0, upper: .infinity, attainsBounds: false)
        case let .discrete(values, _):
            return Support(lower: values.min() ?? .nan, upper: values.max() ?? .nan, attainsBounds: true)
        }
    }
}
