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

    /// Four interleaved partial sums break the floating-point add latency chain; their order is fixed.
    init(values: UnsafeBufferPointer<Double>, shift: Double) {
        var sums: (Double, Double, Double, Double) = (0, 0, 0, 0)
        var squares: (Double, Double, Double, Double) = (0, 0, 0, 0)
        var low = Double.infinity, high = -Double.infinity
        var nonFinite: UInt64 = 0
        @inline(__always) func accumulate(_ x: Double, _ sum: inout Double, _ square: inout Double) {
            let finite = x.isFinite
            let d = finite ? x - shift : 0
            sum += d
            square += d * d
            let forLow = finite ? x : low, forHigh = finite ? x : high
            low = forLow < low ? forLow : low
            high = forHigh > high ? forHigh : high
            nonFinite &+= finite ? 0 : 1
        }
        let count = values.count
        var i = 0
        while i + 4 <= count {
            accumulate(values[i], &sums.0, &squares.0)
            accumulate(values[i + 1], &sums.1, &squares.1)
            accumulate(values[i + 2], &sums.2, &squares.2)
            accumulate(values[i + 3], &sums.3, &squares.3)
            i += 4
        }
        while i < count {
            accumulate(values[i], &sums.0, &squares.0)
            i += 1
        }
        shiftedSum = (sums.0 + sums.1) + (sums.2 + sums.3)
        shiftedSquareSum = (squares.0 + squares.1) + (squares.2 + squares.3)
        minimum = low
        maximum = high
        nonFiniteCount = nonFinite
        finiteCount = UInt64(count) - nonFinite
    }
}
