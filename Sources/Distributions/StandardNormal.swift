import Foundation

/// The standard normal quantile Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16), Applied Statistics 37(3),
/// 477–484 (1988): relative accuracy about 1e-16. Returns -∞ for p ≤ 0 and +∞ for p ≥ 1.
@inlinable
public func standardNormalQuantile(_ p: Double) -> Double {
    let q = p - 0.5
    if abs(q) <= 0.425 { return centralNormalQuantile(q) }
    let tail = q < 0 ? p : 1 - p
    guard tail > 0 else { return q < 0 ? -.infinity : .infinity }
    var r = (-log(tail)).squareRoot()
    let magnitude: Double
    if r <= 5 {
        r -= 1.6
        let numerator = ((((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
            + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r + 3.64784832476320460504e0) * r
            + 5.76949722146069140550e0) * r + 4.63033784615654529590e0) * r + 1.42343711074968357734e0))
        let denominator = ((((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
            + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r
            + 1.67638483018380384940e0) * r + 2.05319162663775882187e0) * r + 1.0))
        magnitude = numerator / denominator
    } else {
        r -= 5
        let numerator = ((((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
            + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r
            + 1.78482653991729133580e0) * r + 5.46378491116411436990e0) * r + 6.65790464350110377720e0))
        let denominator = ((((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
            + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r
            + 1.36929880922735805310e-1) * r + 5.99832206555887937690e-1) * r + 1.0))
        magnitude = numerator / denominator
    }
    return q < 0 ? -magnitude : magnitude
}

/// Φ⁻¹(p) of every p into `out`: four at a time where all four lie in AS 241's central region
/// (|p − ½| ≤ 0.425, most draws), one by one otherwise; the same operations lane by lane as
/// `standardNormalQuantile`, so the same bits. `out` may be `p`'s own memory.
@inlinable
public func standardNormalQuantiles(_ p: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
    var i = 0
    while i &+ 4 <= count {
        let q = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self) - 0.5
        if all(q .<= 0.425 .& q .>= -0.425) {
            UnsafeMutableRawPointer(out + i).storeBytes(of: centralNormalQuantile(q), as: SIMD4<Double>.self)
        } else {
            for k in 0..<4 { out[i &+ k] = standardNormalQuantile(p[i &+ k]) }
        }
        i &+= 4
    }
    while i < count {
        out[i] = standardNormalQuantile(p[i])
        i &+= 1
    }
}

/// AS 241's central region, q = p − ½ with |q| ≤ 0.425, for one value or four lanes.
@inlinable @inline(__always)
func centralNormalQuantile<V: QuantileLanes>(_ q: V) -> V {
    @inline(__always) func c(_ value: Double) -> V { V(repeating: value) }
    let r = c(0.180625) - q * q
    let numerator = ((((((((c(2.5090809287301226727e3) * r + c(3.3430575583588128105e4)) * r
        + c(6.7265770927008700853e4)) * r + c(4.5921953931549871457e4)) * r + c(1.3731693765509461125e4)) * r
        + c(1.9715909503065514427e3)) * r + c(1.3314166789178437745e2)) * r + c(3.3871328727963666080e0)))
    let denominator = ((((((((c(5.2264952788528545610e3) * r + c(2.8729085735721942674e4)) * r
        + c(3.9307895800092710610e4)) * r + c(2.1213794301586595867e4)) * r + c(5.3941960214247511077e3)) * r
        + c(6.8718700749205790830e2)) * r + c(4.2313330701600911252e1)) * r + c(1.0)))
    return q * numerator / denominator
}

/// IEEE arithmetic of one value or of lanes, for the central quantile's polynomials.
@usableFromInline protocol QuantileLanes {
    init(repeating value: Double)
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
}

extension Double: QuantileLanes {
    @inlinable @inline(__always) init(repeating value: Double) { self = value }
}

extension SIMD4: QuantileLanes where Scalar == Double {}

/// The standard normal distribution function Φ(x) = erfc(-x/√2)/2, accurate in relative terms
/// in the lower tail.
@inlinable
public func standardNormalCDF(_ x: Double) -> Double {
    0.5 * erfc(-x * 0.70710678118654752440)
}

/// Φ(-x) = 1 - Φ(x) without cancellation, accurate in the upper tail.
@inlinable
func standardNormalUpperTail(_ x: Double) -> Double {
    0.5 * erfc(x * 0.70710678118654752440)
}

/// The standard normal density φ(x); 0 at ±∞.
@inlinable
func standardNormalDensity(_ x: Double) -> Double {
    0.39894228040143267794 * exp(-0.5 * x * x)
}
