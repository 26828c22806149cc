import LaneVectors
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

    /// The summary of `values` in one careful pass (see `SummaryLanes.add(_:shift:)`).
    init(values: UnsafeBufferPointer<Double>, shift: Double) {
        var lanes = SummaryLanes()
        lanes.add(values, shift: shift)
        self = lanes.summary
    }

    init() {}
}

/// The partial sums of a chunk summary while its values arrive, in one part or several.
///
/// Value `i` of the chunk goes to lane `i % 4` (a tail after the last group of four to lane 0) and
/// the lanes are combined in a fixed order, so parts give the same bits as one pass; every part but
/// the last must hold a multiple of four values. Four lanes break the floating-point add latency
/// chain and let the loops use vector registers.
struct SummaryLanes {
    private var sums = Quad(broadcast: 0), squares = Quad(broadcast: 0), lows = Quad(broadcast: .infinity), highs = Quad(broadcast: -.infinity)
    private(set) var count = 0
    private var nonFinite: UInt64 = 0
    /// Set once a part took the careful pass: the rest of the chunk takes it too, as one pass over
    /// the chunk would have (the passes differ in their tail and in how they combine the extremes).
    private var careful = false

    /// The careful pass: any values. Non-finite values are counted and add zero to the sums.
    mutating func add(_ values: UnsafeBufferPointer<Double>, shift: Double) {
        precondition(count % 4 == 0, "only a chunk's last part may end inside a group of four")
        careful = true
        @inline(__always) func fold(_ x: Double, lane k: Int, valid: Bool = true) {
            let finite = valid && x.isFinite
            let d = finite ? x - shift : 0
            sums[k] += d
            squares[k] += d * d
            if finite && x < lows[k] { lows[k] = x }
            if finite && x > highs[k] { highs[k] = x }
            if valid && !finite { nonFinite += 1 }
        }
        var i = 0
        while i + 4 <= values.count {
            for k in 0..<4 { fold(values[i + k], lane: k) }
            i += 4
        }
        while i < values.count {
            fold(values[i], lane: 0)
            for k in 1..<4 { fold(0, lane: k, valid: false) }
            i += 1
        }
        count += values.count
    }

    /// The fast pass for the common case, a positive-only series without non-finite values: the
    /// lanes (same order as the careful pass, so the same bits) and every value's histogram slot
    /// (`SeriesGeometry.positiveSlot(of:)`, eight at a time, in an order of its own). Returns false,
    /// having changed nothing, when a value is not finite or the squares overflow, and once the
    /// chunk has taken the careful pass.
    @inline(__always)
    mutating func addPositive(_ values: UnsafeBufferPointer<Double>, geometry: SeriesGeometry,
                              slots: UnsafeMutablePointer<UInt16>) -> Bool {
        precondition(count % 4 == 0, "only a chunk's last part may end inside a group of four")
        if careful { return false }
        let n = values.count
        guard n > 0, let v = values.baseAddress else { return true }
        let shifts = Quad(broadcast: geometry.shift), floors = Quad(broadcast: geometry.positiveFloor), ceilings = Quad(broadcast: geometry.positiveCeiling)
        let keyBase = UInt32(truncatingIfNeeded: geometry.positiveKeyBase)
        var sums = self.sums, squares = self.squares, lows = self.lows, highs = self.highs
        /// Folds four values into the lanes and returns them clamped into the slot range (the
        /// clamp differs from positiveSlot's only for NaN, which fails the pass anyway).
        @inline(__always) func summarize(_ x: Quad) -> Quad {
            let d = x - shifts
            sums = sums + d
            squares = squares + d * d
            lows = x.lesser(lows)
            highs = x.greater(highs)
            return x.greater(floors).lesser(ceilings)
        }
        /// The slot of a clamped (so positive) value: its key, a logical shift of its bits.
        @inline(__always) func slot(_ x: Double) -> UInt32 {
            UInt32(truncatingIfNeeded: x.bitPattern &>> SeriesGeometry.keyShift) &- keyBase
        }
        // Slots are below 2^15 (`HistogramStaging.maximumSlotCount`), so two share 32 bits: values
        // i + k and i + 4 + k go to word k, which interleaves them; the commit counts them in any order.
        let words = UnsafeMutableRawPointer(slots).assumingMemoryBound(to: UInt32.self)
        var i = 0
        while i &+ 8 <= n {
            let x = summarize(Quad(loading: v + i)), y = summarize(Quad(loading: v + i + 4))
            let word = words + i / 2
            word[0] = slot(x.a) | slot(y.a) &<< 16
            word[1] = slot(x.b) | slot(y.b) &<< 16
            word[2] = slot(x.c) | slot(y.c) &<< 16
            word[3] = slot(x.d) | slot(y.d) &<< 16
            i &+= 8
        }
        if i &+ 4 <= n {
            let x = summarize(Quad(loading: v + i))
            slots[i] = UInt16(truncatingIfNeeded: slot(x.a))
            slots[i + 1] = UInt16(truncatingIfNeeded: slot(x.b))
            slots[i + 2] = UInt16(truncatingIfNeeded: slot(x.c))
            slots[i + 3] = UInt16(truncatingIfNeeded: slot(x.d))
            i &+= 4
        }
        while i < n {
            let x = v[i], d = x - geometry.shift
            sums.a += d
            squares.a += d * d
            lows.a = x < lows.a ? x : lows.a
            highs.a = x > highs.a ? x : highs.a
            slots[i] = UInt16(truncatingIfNeeded: geometry.positiveSlot(of: x))
            i += 1
        }
        // Any NaN or infinity makes the square sum non-finite (NaN, or +inf from ±inf); so can an
        // overflow of finite values: either way the careful pass takes over. Once non-finite, the
        // sum stays so, so every later part fails too.
        guard ((squares.a + squares.b) + (squares.c + squares.d)).isFinite else { return false }
        self.sums = sums
        self.squares = squares
        self.lows = lows
        self.highs = highs
        count += n
        return true
    }

    /// The chunk's summary from the lanes so far.
    var summary: ChunkSummary {
        var summary = ChunkSummary()
        summary.shiftedSum = (sums.a + sums.b) + (sums.c + sums.d)
        summary.shiftedSquareSum = (squares.a + squares.b) + (squares.c + squares.d)
        summary.nonFiniteCount = nonFinite
        summary.finiteCount = UInt64(count) - nonFinite
        if careful {
            // As SIMD4's min() and max(): lane by lane from the first, with minimum/maximum.
            summary.minimum = Double.minimum(Double.minimum(Double.minimum(lows.a, lows.b), lows.c), lows.d)
            summary.maximum = Double.maximum(Double.maximum(Double.maximum(highs.a, highs.b), highs.c), highs.d)
        } else {
            summary.minimum = Swift.min(Swift.min(lows.a, lows.b), Swift.min(lows.c, lows.d))
            summary.maximum = Swift.max(Swift.max(highs.a, highs.b), Swift.max(highs.c, highs.d))
        }
        return summary
    }
}
