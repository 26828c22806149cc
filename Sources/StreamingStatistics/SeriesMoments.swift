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

    /// Largest fixed-point magnitude of one chunk's sum: leaves 2^27 chunks of headroom in Int128.
    static let chunkLimit = 0x1p100

    /// Folds the chunk's counts and extremes, and its sums when they fit the fixed-point format;
    /// false when they do not (the caller keeps them in `WideMoments`).
    mutating func fold(_ chunk: ChunkSummary, geometry: SeriesGeometry) -> Bool {
        count += chunk.finiteCount
        nonFiniteCount += chunk.nonFiniteCount
        if chunk.finiteCount > 0 {
            minimum = Self.lower(minimum, chunk.minimum)
            maximum = Self.higher(maximum, chunk.maximum)
        }
        let first = scaled(chunk.shiftedSum, by: -geometry.firstMomentExponent).rounded()
        let second = scaled(chunk.shiftedSquareSum, by: -geometry.secondMomentExponent).rounded()
        guard abs(first) <= Self.chunkLimit && second <= Self.chunkLimit else { return false }
        shiftedSum &+= integer(first)
        shiftedSquareSum &+= integer(second)
        return true
    }

    mutating func merge(_ other: SeriesMoments) {
        count += other.count
        nonFiniteCount += other.nonFiniteCount
        shiftedSum &+= other.shiftedSum
        shiftedSquareSum &+= other.shiftedSquareSum
        minimum = Self.lower(minimum, other.minimum)
        maximum = Self.higher(maximum, other.maximum)
    }

    /// IEEE total order, so that −0 and +0 give the same result in any merge order.
    static func lower(_ a: Double, _ b: Double) -> Double { a.isTotallyOrdered(belowOrEqualTo: b) ? a : b }
    static func higher(_ a: Double, _ b: Double) -> Double { a.isTotallyOrdered(belowOrEqualTo: b) ? b : a }
}

/// The sums of a series' chunks too far outside its range for the fixed-point format: each such
/// chunk's floating-point partial sums added exactly, so the state is the same in any order.
struct WideMoments: Sendable, Equatable {
    var sum = ExactSum(), squareSum = ExactSum()
    /// Set when a chunk's partial sum itself was not finite: the mean (and so the deviation), or
    /// only the deviation, cannot be computed.
    var sumOverflowed = false, squaresOverflowed = false

    mutating func add(_ chunk: ChunkSummary) {
        if chunk.shiftedSum.isFinite { sum.add(chunk.shiftedSum) } else { sumOverflowed = true }
        if chunk.shiftedSquareSum.isFinite { squareSum.add(chunk.shiftedSquareSum) } else { squaresOverflowed = true }
    }

    mutating func merge(_ other: WideMoments) {
        sum.merge(other.sum)
        squareSum.merge(other.squareSum)
        sumOverflowed = sumOverflowed || other.sumOverflowed
        squaresOverflowed = squaresOverflowed || other.squaresOverflowed
    }
}

/// An exact sum of finite doubles: a two's-complement integer in units of 2⁻¹⁰⁷⁴, the finest
/// double. Doubles span 2099 bits from there; 34 limbs leave room for 2⁷⁶ of the largest.
struct ExactSum: Sendable, Equatable {
    static let limbCount = 34
    /// Least significant first.
    var limbs = [UInt64](repeating: 0, count: limbCount)

    mutating func add(_ x: Double) {
        guard x != 0 else { return }
        let exponent = Int(x.exponentBitPattern)
        let significand = x.significandBitPattern | (exponent == 0 ? 0 : 1 << 52)
        // x = significand · 2^(max(exponent, 1) − 1075), so its lowest bit is at this position.
        let position = max(exponent, 1) - 1
        let limb = position / 64, shift = position % 64
        let parts = [significand << shift, shift == 0 ? 0 : significand >> (64 - shift)]
        var carry = false
        for i in limb..<Self.limbCount {
            let part = i - limb < 2 ? parts[i - limb] : 0
            if i - limb >= 2 && !carry { break }
            if x > 0 {
                let (a, o1) = limbs[i].addingReportingOverflow(part)
                let (b, o2) = a.addingReportingOverflow(carry ? 1 : 0)
                limbs[i] = b
                carry = o1 || o2
            } else {
                let (a, o1) = limbs[i].subtractingReportingOverflow(part)
                let (b, o2) = a.subtractingReportingOverflow(carry ? 1 : 0)
                limbs[i] = b
                carry = o1 || o2
            }
        }
    }

    mutating func merge(_ other: ExactSum) {
        var carry = false
        for i in 0..<Self.limbCount {
            let (a, o1) = limbs[i].addingReportingOverflow(other.limbs[i])
            let (b, o2) = a.addingReportingOverflow(carry ? 1 : 0)
            limbs[i] = b
            carry = o1 || o2
        }
    }

    /// The sum correctly rounded to a double (±∞ beyond the doubles).
    var value: Double {
        let negative = limbs[Self.limbCount - 1] >> 63 == 1
        var magnitude = limbs
        if negative {
            var carry = true
            for i in magnitude.indices {
                let (sum, overflow) = (~magnitude[i]).addingReportingOverflow(carry ? 1 : 0)
                magnitude[i] = sum
                carry = overflow
            }
        }
        guard let top = magnitude.lastIndex(where: { $0 != 0 }) else { return 0 }
        let zeros = magnitude[top].leadingZeroBitCount
        let next = top > 0 ? magnitude[top - 1] : 0
        var leading = magnitude[top] << zeros | (zeros > 0 ? next >> (64 - zeros) : 0)
        // The bits below the leading 64 only decide the rounding: one sticky bit, far below the
        // 53 bits kept, makes the conversion round as the whole integer would.
        let rest = (zeros > 0 ? next << zeros : next) != 0 || magnitude[..<max(top - 1, 0)].contains { $0 != 0 }
        if rest { leading |= 1 }
        let result = scaled(Double(leading), by: 64 * top - zeros - 1074)
        return negative ? -result : result
    }
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
