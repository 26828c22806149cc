/// e^x in plain arithmetic, written once for a scalar and for four lanes held as SIMD4, so a
/// vector computes four lanes with the same bits as four scalar calls.
///
/// Cody–Waite reduction x = k·ln2 + r with |r| ≤ ln2/2 (ln 2 split in the two parts of fdlibm's
/// e_exp.c, the high one with trailing zeros so k·ln2Hi is exact), then the Taylor polynomial of
/// degree 13, both in fused multiply-adds (a scalar and a vector one round alike; a machine without
/// them gets libm's exact `fma`). The truncation error (|r|^14/14! < 5e-18) is far below one ulp;
/// the result is within two ulp of libm's (tested). Results below the smallest normal double
/// (x < −707.7) are flushed to zero; x > 709.78 gives +∞, NaN gives NaN.
@inlinable @inline(__always)
func exponential<V: ExponentialArithmetic>(_ x: V) -> V {
    @inline(__always) func c(_ value: Double) -> V { V(repeating: value) }
    // Adding 1.5·2^52 rounds t to the nearest integer k and leaves k in the low bits of the sum.
    let shifted = x * c(1.4426950408889634) + c(0x1.8p52)
    let minusK = c(0x1.8p52) - shifted
    let r = x.addingProduct(minusK, c(6.93147180369123816490e-01)).addingProduct(minusK, c(1.90821492927058770002e-10))
    // Σ r^n/n! for n ≤ 13 by Estrin's scheme: pairs, then pairs of pairs, so the dependency chain
    // is a third of Horner's and the lanes' multiplications overlap; each a·b + c is one fused step.
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    /// 1/n! + r/(n+1)!, given n! and (n+1)!.
    @inline(__always) func pair(_ n: Double, _ next: Double) -> V { c(1 / n).addingProduct(c(1 / next), r) }
    let low = (c(1) + r).addingProduct(r2, pair(2, 6)).addingProduct(r4, pair(24, 120).addingProduct(r2, pair(720, 5040)))
    let high = pair(40320, 362880).addingProduct(r2, pair(3628800, 39916800)).addingProduct(r4, pair(479001600, 6227020800))
    let p = low.addingProduct(r8, high)
    // 2^(k−1), then a doubling, so k = 1024 (x just below the overflow threshold) still scales.
    let value = p * V.powerOfTwo(minusOneAt: shifted) * c(2)
    return value.limited(x: x, above: 709.782712893384, below: -707.7)
}

/// What `exponential` needs of a number or a group of lanes: lane-wise IEEE arithmetic and two
/// bit-level operations.
@usableFromInline
protocol ExponentialArithmetic {
    init(repeating value: Double)
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    /// self + a·b rounded once.
    func addingProduct(_ a: Self, _ b: Self) -> Self
    /// 2^(k − 1) for the integer k (−1021…1024) in the low bits of `shifted` = k + 1.5·2^52.
    static func powerOfTwo(minusOneAt shifted: Self) -> Self
    /// Self, or +∞ where x > above, or 0 where x < below.
    func limited(x: Self, above: Double, below: Double) -> Self
}

extension Double: ExponentialArithmetic {
    @inlinable @inline(__always) init(repeating value: Double) { self = value }

    @inlinable @inline(__always)
    static func powerOfTwo(minusOneAt shifted: Double) -> Double {
        Double(bitPattern: (shifted.bitPattern &+ 1022) &<< 52)
    }

    @inlinable @inline(__always)
    func limited(x: Double, above: Double, below: Double) -> Double {
        x > above ? .infinity : (x < below ? 0 : self)
    }
}

extension SIMD4: ExponentialArithmetic where Scalar == Double {
    @inlinable @inline(__always)
    static func powerOfTwo(minusOneAt shifted: SIMD4<Double>) -> SIMD4<Double> {
        let bits = unsafeBitCast(shifted, to: SIMD4<UInt64>.self)
        return unsafeBitCast((bits &+ 1022) &<< 52, to: SIMD4<Double>.self)
    }

    @inlinable @inline(__always)
    func limited(x: SIMD4<Double>, above: Double, below: Double) -> SIMD4<Double> {
        replacing(with: 0, where: x .< below).replacing(with: .infinity, where: x .> above)
    }
}

extension Quad {
    /// e^x lane by lane, as `Double.exponential()` of each lane, in vector instructions.
    @inlinable @inline(__always)
    public func exponential() -> Quad {
        let result = LaneVectors.exponential(SIMD4(a, b, c, d))
        return Quad(result[0], result[1], result[2], result[3])
    }
}

extension Double {
    /// e^x in plain arithmetic, the same bits as a lane of `Quad.exponential()` (see `exponential`).
    @inlinable @inline(__always)
    public func exponential() -> Double { LaneVectors.exponential(self) }
}
