extension Distribution {
    /// The name used in error messages.
    public var name: String {
        switch self {
        case .uniform: "uniform"
        case .triangular: "triangular"
        case .normal: "normal"
        case .truncatedNormal: "truncatedNormal"
        case .lognormal: "lognormal"
        case .pert: "pert"
        case .discrete: "discrete"
        }
    }

    /// Checks the parameters; the error names the first offending parameter, its value and the allowed range.
    public func validate() throws(DistributionError) {
        switch self {
        case let .uniform(min, max):
            try requireFinite("min", min)
            try requireFinite("max", max)
            try require("max", max, max > min, "greater than min (\(min))")
        case let .triangular(min, mode, max), let .pert(min, mode, max):
            try requireFinite("min", min)
            try requireFinite("mode", mode)
            try requireFinite("max", max)
            try require("max", max, max > min, "greater than min (\(min))")
            try require("mode", mode, mode >= min && mode <= max, "within [min, max] = [\(min), \(max)]")
        case let .normal(mean, sd):
            try requireFinite("mean", mean)
            try require("sd", sd, sd > 0 && sd.isFinite, "finite and > 0")
        case let .truncatedNormal(mean, sd, lower, upper):
            try requireFinite("mean", mean)
            try require("sd", sd, sd > 0 && sd.isFinite, "finite and > 0")
            try require("lower", lower, !lower.isNaN && lower != .infinity, "a number or -infinity")
            try require("upper", upper, !upper.isNaN && upper != -.infinity, "a number or +infinity")
            try require("upper", upper, upper > lower, "greater than lower (\(lower))")
            try require("lower", lower, lower.isFinite || upper.isFinite,
                        "finite when upper is +infinity (use a normal distribution for no truncation)")
            let window = TruncationWindow(mean: mean, sd: sd, lower: lower, upper: upper)
            try require("upper", upper, window.mass > 0,
                        "such that [lower, upper] = [\(lower), \(upper)] has positive probability under normal(\(mean), \(sd))")
        case let .lognormal(mu, sigma):
            try requireFinite("mu", mu)
            try require("sigma", sigma, sigma > 0 && sigma.isFinite, "finite and > 0")
        case let .discrete(values, weights):
            guard !values.isEmpty else {
                throw DistributionError(distribution: name, parameter: "values", value: "[]", allowed: "non-empty")
            }
            guard values.count == weights.count else {
                throw DistributionError(distribution: name, parameter: "weights.count", value: "\(weights.count)",
                                        allowed: "equal to values.count (\(values.count))")
            }
            for (index, value) in values.enumerated() {
                try requireFinite("values[\(index)]", value)
            }
            for (index, weight) in weights.enumerated() {
                try require("weights[\(index)]", weight, weight > 0 && weight.isFinite, "finite and > 0")
            }
            // The probabilities are the weights over their sum: an infinite sum would make them 0 or NaN.
            let total = weights.reduce(0, +)
            try require("sum of the weights", total, total.isFinite, "finite (at most \(Double.greatestFiniteMagnitude))")
        }
    }

    private func requireFinite(_ parameter: String, _ value: Double) throws(DistributionError) {
        try require(parameter, value, value.isFinite, "finite")
    }

    private func require(_ parameter: String, _ value: Double, _ condition: Bool,
                         _ allowed: String) throws(DistributionError) {
        guard condition else {
            throw DistributionError(distribution: name, parameter: parameter, value: "\(value)", allowed: allowed)
        }
    }
}
