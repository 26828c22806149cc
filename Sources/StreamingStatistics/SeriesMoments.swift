/// Exactly mergeable per-series state besides the histogram: integer counts, fixed-point sums and
/// exact extremes. Every operation on it is associative and commutative bit for bit.
struct SeriesMoments: Sendable, Equatable {
    var count: UInt64 = 0
    var nonFiniteCount: UInt64 = 0
    /// Σ (x − shift) in units of 2^firstMomentExponent.
    var shiftedSum: Int128 = 0
    /// Σ (x − shift)² in units of 2^secondMomentExponent.
    var shiftedSquareSum: Int128 = 0
    var minimum = Double.infinity
    var maximum = -Double.infinity
    /// Set when a chunk's sums were too large for the fixed-point format; the moments are then unknown.
    var saturated = false

    /// Largest fixed-point magnitude of one chunk's sum: leaves 2^27 chunks of headroom in Int128.
    static let chunkLimit = 0x1p100

    mutating func fold(_ chunk: ChunkSummary, geometry: SeriesGeometry) {
        count += chunk.finiteCount
        nonFiniteCount += chunk.nonFiniteCount
        if chunk.finiteCount > 0 {
            minimum = Self.lower(minimum, chunk.minimum)
            maximum = Self.higher(maximum, chunk.maximum)
        }
        let first = scaled(chunk.shiftedSum, by: -geometry.firstMomentExponent).rounded()
        let second = scaled(chunk.shiftedSquareSum, by: -geometry.secondMomentExponent).rounded()
        if abs(first) <= Self.chunkLimit && second <= Self.chunkLimit {
            shiftedSum &+= integer(first)
            shiftedSquareSum &+= integer(second)
        } else {
            saturated = true
        }
    }

    mutating func merge(_ other: SeriesMoments) {
        count += other.count
        nonFiniteCount += other.nonFiniteCount
        shiftedSum &+= other.shiftedSum
        shiftedSquareSum &+= other.shiftedSquareSum
        minimum = Self.lower(minimum, other.minimum)
        maximum = Self.higher(maximum, other.maximum)
        saturated = saturated || other.saturated
    }

    /// IEEE total order, so that −0 and +0 give the same result in any merge order.
    static func lower(_ a: Double, _ b: Double) -> Double { a.isTotallyOrdered(belowOrEqualTo: b) ? a : b }
    static func higher(_ a: Double, _ b: Double) -> Double { a.isTotallyOrdered(belowOrEqualTo: b) ? b : a }
}

/// x · 2^exponent for any exponent (exact unless the result leaves the normal range).
@inline(__always)
func scaled(_ x: Double, by exponent: Int) -> Double {
    // One multiplication when 2^exponent is a normal double: the same single correctly rounded
    // operation as scaleB, without its general-case work.
    guard exponent >= -1022 && exponent <= 1023 else { return Double(sign: .plus, exponent: exponent, significand: x) }
    return x * Double(bitPattern: UInt64(exponent + 1023) << 52)
}

/// `Int128(x)` for an integral `x` with |x| ≤ 2^100, without the generic conversion's work.
@inline(__always)
private func integer(_ x: Double) -> Int128 {
    if abs(x) < 0x1p62 { return Int128(Int64(x)) }
    let magnitude = Int128(x.significandBitPattern | 1 << 52) << (Int(x.exponentBitPattern) - 1075)
    return x < 0 ? -magnitude : magnitude
}
