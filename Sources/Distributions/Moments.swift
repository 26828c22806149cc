import Foundation

extension Distribution {
    /// The expectation, from the closed-form expression of each family.
    public var mean: Double {
        switch self {
        case let .uniform(min, max):
            return (min + max) / 2
        case let .triangular(min, mode, max):
            return (min + mode + max) / 3
        case let .normal(mean, _):
            return mean
        case let .truncatedNormal(mean, sd, lower, upper):
            return TruncationWindow(mean: mean, sd: sd, lower: lower, upper: upper).moments.mean
        case let .lognormal(mu, sigma):
            return exp(mu + sigma * sigma / 2)
        case let .pert(min, mode, max):
            return (min + 4 * mode + max) / 6
        case let .discrete(values, weights):
            return zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
        }
    }

    /// The variance, from the closed-form expression of each family.
    public var variance: Double {
        switch self {
        case let .uniform(min, max):
            return (max - min) * (max - min) / 12
        case let .triangular(a, c, b):
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case let .normal(_, sd):
            return sd * sd
        case let .truncatedNormal(mean, sd, lower, upper):
            return TruncationWindow(mean: mean, sd: sd, lower: lower, upper: upper).moments.variance
        case let .lognormal(mu, sigma):
            return expm1(sigma * sigma) * exp(2 * mu + sigma * sigma)
        case .pert(let min, _, let max):
            // Beta variance αβ/((α+β)²(α+β+1)) with α + β = 6 reduces to (μ - min)(max - μ)/7.
            let mu = mean
            return (mu - min) * (max - mu) / 7
        case let .discrete(values, weights):
            let mu = mean
            return zip(values, weights).reduce(0) { $0 + $1.1 * ($1.0 - mu) * ($1.0 - mu) } / weights.reduce(0, +)
        }
    }

    /// The median, quantile(1/2).
    public var median: Double { quantile(0.5) }
}
