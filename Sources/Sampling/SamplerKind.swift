/// How the uniforms of a Monte Carlo study are generated.
public enum SamplerKind: String, CaseIterable, Sendable, Codable {
    /// Independent uniforms, random access by (input name, sample index): common random numbers.
    case mc
    /// Latin hypercube per fixed-size chunk of samples.
    case lhs
    /// Owen-scrambled Sobol' points.
    case sobol
}
