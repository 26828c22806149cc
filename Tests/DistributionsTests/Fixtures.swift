import Distributions

/// One valid instance of every family, with shapes that exercise each code path.
let everyFamily: [Distribution] = [
    .uniform(min: -2, max: 5),
    .triangular(min: 1, mode: 2, max: 6),
    .triangular(min: 0, mode: 0, max: 1),
    .normal(mean: 10, sd: 3),
    .truncatedNormal(mean: 0, sd: 1, lower: -1, upper: 2),
    .truncatedNormal(mean: 5, sd: 2, lower: 0, upper: .infinity),
    .truncatedNormal(mean: 0, sd: 1, lower: 4, upper: 9),
    .truncatedNormal(mean: 0, sd: 1, lower: -.infinity, upper: -3),
    .lognormal(mu: 0.2, sigma: 0.5),
    .pert(min: 0, mode: 3, max: 10),
    .pert(min: 2, mode: 2, max: 4),
    .pert(min: -1, mode: 0.95, max: 1),
    .discrete(values: [3, 1, 2], weights: [1, 2, 5]),
]

/// Midpoints (i + 1/2)/n of n equal strata: sample moments over them are a midpoint-rule quadrature
/// of the quantile function, deterministic and far more accurate than random draws.
func stratifiedUniforms(_ n: Int) -> [Double] {
    (0..<n).map { (Double($0) + 0.5) / Double(n) }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a self-contained source of independent uniforms for tests.
struct SplitMix64 {
    var state: UInt64
    mutating func nextUniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) * 0x1p-53
    }
}
