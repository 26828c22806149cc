import Foundation

extension Distribution {
    /// The inverse distribution function at u ∈ (0, 1): the value below which a fraction u of the mass lies.
    /// The parameters are assumed valid (see `validate()`).
    public func quantile(_ u: Double) -> Double {
        switch self {
        case let .uniform(min, max):
            return min + u * (max - min)
        case let .triangular(min, mode, max):
            return TriangularShape(min: min, mode: mode, max: max).quantile(u)
        case let .normal(mean, sd):
            return mean + sd * standardNormalQuantile(u)
        case let .truncatedNormal(mean, sd, lower, upper):
            return TruncationWindow(mean: mean, sd: sd, lower: lower, upper: upper).quantile(u)
        case let .lognormal(mu, sigma):
            return exp(mu + sigma * standardNormalQuantile(u))
        case let .pert(min, mode, max):
            return PertShape(min: min, mode: mode, max: max).quantile(u)
        case let .discrete(values, weights):
            return DiscreteTable(values: values, weights: weights).quantile(u)
        }
    }

    /// `output[i] = quantile(u[i])` for every i: the batch path, with the parameters' derived constants
    /// computed once per call and no allocation per element.
    public func quantiles(_ u: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(output.count >= u.count, "output is shorter than the input")
        guard !u.isEmpty else { return }
        switch self {
        case let .uniform(min, max):
            let width = max - min
            for i in u.indices { output[i] = min + u[i] * width }
        case let .triangular(min, mode, max):
            let shape = TriangularShape(min: min, mode: mode, max: max)
            for i in u.indices { output[i] = shape.quantile(u[i]) }
        case let .normal(mean, sd):
            standardNormalQuantiles(u.baseAddress!, count: u.count, into: output.baseAddress!)
            for i in u.indices { output[i] = mean + sd * output[i] }
        case let .truncatedNormal(mean, sd, lower, upper):
            TruncationWindow(mean: mean, sd: sd, lower: lower, upper: upper).quantiles(u, into: output)
        case let .lognormal(mu, sigma):
            standardNormalQuantiles(u.baseAddress!, count: u.count, into: output.baseAddress!)
            for i in u.indices { output[i] = exp(mu + sigma * output[i]) }
        case let .pert(min, mode, max):
            let shape = PertShape(min: min, mode: mode, max: max)
            for i in u.indices { output[i] = shape.quantile(u[i]) }
        case let .discrete(values, weights):
            let table = DiscreteTable(values: values, weights: weights)
            for i in u.indices { output[i] = table.quantile(u[i]) }
        }
    }

    /// The distribution function P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .uniform(min, max):
            return Swift.min(Swift.max((x - min) / (max - min), 0), 1)
        case let .triangular(min, mode, max):
            return TriangularShape(min: min, mode: mode, max: max).cdf(x)
        case let .normal(mean, sd):
            return standardNormalCDF((x - mean) / sd)
        case let .truncatedNormal(mean, sd, lower, upper):
            return TruncationWindow(mean: mean, sd: sd, lower: lower, upper: upper).cdf(x)
        case let .lognormal(mu, sigma):
            return x <= 0 ? 0 : standardNormalCDF((log(x) - mu) / sigma)
        case let .pert(min, mode, max):
            return PertShape(min: min, mode: mode, max: max).cdf(x)
        case let .discrete(values, weights):
            let total = weights.reduce(0, +)
            return zip(values, weights).reduce(0) { $0 + ($1.0 <= x ? $1.1 : 0) } / total
        }
    }
}
