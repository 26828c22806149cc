/// Floating-point summary of one chunk of one series, computed in a fixed order so that the same
/// chunk always gives the same bits.
struct ChunkSummary {
    var finiteCount: UInt64 = 0
    var nonFiniteCount: UInt64 = 0
    /// Σ (x − shift) over the finite values.
    var shiftedSum: Double = 0
    /// Σ (x − shift)² over the finite values.
    var shiftedSquareSum: Double = 0
    var minimum = Double.infinity
    var maximum = -Double.infinity

    /// Value `i` goes to lane `i % 4` (the tail to lane 0); the lanes are combined in a fixed order.
    /// Four lanes break the floating-point add latency chain and let the loop use vector registers.
    init(values: UnsafeBufferPointer<Double>, shift: Double) {
        typealias Lanes = SIMD4<Double>
        var sums = Lanes(), squares = Lanes()
        var lows = Lanes(repeating: .infinity), highs = Lanes(repeating: -.infinity)
        var nonFinite = SIMD4<Int64>()
        let shifts = Lanes(repeating: shift), infinity = Lanes(repeating: .infinity)
        @inline(__always) func accumulate(_ x: Lanes, valid: SIMDMask<SIMD4<Int64>>) {
            // NaN fails every comparison, so it never becomes an extreme and counts as non-finite.
            let finite = (x .< infinity) .& (x .> -infinity) .& valid
            let d = (x - shifts).replacing(with: 0, where: .!finite)
            sums += d
            squares += d * d
            lows.replace(with: x, where: finite .& (x .< lows))
            highs.replace(with: x, where: finite .& (x .> highs))
            nonFinite &+= SIMD4<Int64>(repeating: 1).replacing(with: 0, where: finite .| .!valid)
        }
        let allLanes = SIMDMask<SIMD4<Int64>>(repeating: true)
        let firstLane = SIMD4<Int64>(1, 0, 0, 0) .!= 0
        let count = values.count
        var i = 0
        while i + 4 <= count {
            accumulate(Lanes(values[i], values[i + 1], values[i + 2], values[i + 3]), valid: allLanes)
            i += 4
        }
        while i < count {
            accumulate(Lanes(values[i], 0, 0, 0), valid: firstLane)
            i += 1
        }
        shiftedSum = (sums[0] + sums[1]) + (sums[2] + sums[3])
        shiftedSquareSum = (squares[0] + squares[1]) + (squares[2] + squares[3])
        nonFiniteCount = UInt64(nonFinite.wrappedSum())
        finiteCount = UInt64(count) - nonFiniteCount
        minimum = lows.min()
        maximum = highs.max()
    }

    /// One fused pass for the common case, a positive-only series without non-finite values: the
    /// summary (same lanes and order as `init(values:shift:)`, so the same bits) and every value's
    /// histogram slot. Returns nil, having written nothing that counts, when a value is not finite.
    @inline(__always)
    init?(positiveValues values: UnsafeBufferPointer<Double>, geometry: SeriesGeometry, slots: UnsafeMutablePointer<UInt32>) {
        let count = values.count
        guard count > 0, let v = values.baseAddress else { return nil }
        let shift = geometry.shift
        let keyOffset = geometry.firstTransformed - 2, overflow = Int64(geometry.overflowSlot)
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0
        var lo0 = Double.infinity, lo1 = Double.infinity, lo2 = Double.infinity, lo3 = Double.infinity
        var hi0 = -Double.infinity, hi1 = -Double.infinity, hi2 = -Double.infinity, hi3 = -Double.infinity
        @inline(__always) func slot(_ x: Double) -> UInt32 {
            let key = Int64(bitPattern: x.bitPattern) >> Int64(SeriesGeometry.keyShift)
            return UInt32(truncatingIfNeeded: min(max(key &- keyOffset, 0), overflow))
        }
        var i = 0
        while i + 4 <= count {
            let x0 = v[i], x1 = v[i + 1], x2 = v[i + 2], x3 = v[i + 3]
            let d0 = x0 - shift, d1 = x1 - shift, d2 = x2 - shift, d3 = x3 - shift
            s0 += d0; s1 += d1; s2 += d2; s3 += d3
            q0 += d0 * d0; q1 += d1 * d1; q2 += d2 * d2; q3 += d3 * d3
            lo0 = x0 < lo0 ? x0 : lo0; lo1 = x1 < lo1 ? x1 : lo1; lo2 = x2 < lo2 ? x2 : lo2; lo3 = x3 < lo3 ? x3 : lo3
            hi0 = x0 > hi0 ? x0 : hi0; hi1 = x1 > hi1 ? x1 : hi1; hi2 = x2 > hi2 ? x2 : hi2; hi3 = x3 > hi3 ? x3 : hi3
            slots[i] = slot(x0); slots[i + 1] = slot(x1); slots[i + 2] = slot(x2); slots[i + 3] = slot(x3)
            i += 4
        }
        while i < count {
            let x = v[i], d = x - shift
            s0 += d
            q0 += d * d
            lo0 = x < lo0 ? x : lo0
            hi0 = x > hi0 ? x : hi0
            slots[i] = slot(x)
            i += 1
        }
        shiftedSum = (s0 + s1) + (s2 + s3)
        shiftedSquareSum = (q0 + q1) + (q2 + q3)
        // Any NaN or infinity makes the square sum non-finite (NaN, or +inf from ±inf); so can an
        // overflow of finite values: either way the careful path takes over.
        guard shiftedSquareSum.isFinite else { return nil }
        finiteCount = UInt64(count)
        nonFiniteCount = 0
        minimum = Swift.min(Swift.min(lo0, lo1), Swift.min(lo2, lo3))
        maximum = Swift.max(Swift.max(hi0, hi1), Swift.max(hi2, hi3))
    }
}
