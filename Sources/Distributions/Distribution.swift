/// A univariate probability distribution of one uncertain model input.
///
/// Every case is sampled by inversion: `quantile(u)` of a uniform u, so a stratified or
/// quasi-random u stays stratified and common random numbers carry over to the input's value.
public enum Distribution: Sendable, Equatable, Hashable {
    /// Uniform on [min, max].
    case uniform(min: Double, max: Double)
    /// Triangular on [min, max] with its peak at mode.
    case triangular(min: Double, mode: Double, max: Double)
    /// Normal with the given mean and standard deviation.
    case normal(mean: Double, sd: Double)
    /// Normal(mean, sd) conditioned on [lower, upper]; one bound may be infinite.
    case truncatedNormal(mean: Double, sd: Double, lower: Double, upper: Double)
    /// exp(N(mu, sigma²)): mu and sigma are the mean and standard deviation of the logarithm.
    case lognormal(mu: Double, sigma: Double)
    /// Beta-PERT on [min, max] with the given mode and shape λ = 4, so the mean is (min + 4 mode + max)/6.
    case pert(min: Double, mode: Double, max: Double)
    /// Finitely many values with probabilities proportional to the (positive) weights.
    case discrete(values: [Double], weights: [Double])
}
