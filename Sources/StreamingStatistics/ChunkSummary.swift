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
}
