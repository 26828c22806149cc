import CCacheHints

/// Floating-point summary of one chunk of one series, computed in a fixed order so that the same
/// chunk always gives the same bits.
struct ChunkSummary {
    var finiteCount: UInt64 = 0
    var nonFiniteCount: UInt64 = 0
    /// Σ (x − shift) over the finite values.
    var shiftedSum: Double = 0
    /// Σ (x − shift)² over the finite values, each square added in one fused multiply-add.
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
/// Value `i` of the chunk goes to sum lane `i % 8` and extremes lane `i % 4` (a tail after the last
/// group of eight to the first lanes, as a group of four and then lane 0 one by one), and the lanes
/// are combined in a fixed order, so parts give the same bits as one pass; every part but the last
/// must hold a multiple of eight values. Eight sum lanes break the floating-point add latency
/// chains; the lanes are vector registers.
struct SummaryLanes {
    /// Sum lanes 0–3 and 4–7, square-sum lanes likewise.
    private var sums = SIMD4<Double>(), upperSums = SIMD4<Double>()
    private var squares = SIMD4<Double>(), upperSquares = SIMD4<Double>()
    private var lows = SIMD4<Double>(repeating: .infinity), highs = SIMD4<Double>(repeating: -.infinity)
    private(set) var count = 0
    private var nonFinite: UInt64 = 0
    /// Values staged as NaN to leave them out (`HistogramStaging`), counted as neither finite nor not.
    var leftOut: UInt64 = 0
    /// Set once a part took the careful pass (or `addFinite`, which combines the extremes as it
    /// does): the rest of the chunk takes it too, as one pass over the chunk would have (the passes
    /// differ in how they combine the extremes).
    private var careful = false

    /// The careful pass: any values. Non-finite values are counted and add zero to the sums. Four
    /// values at a time, each lane's operations those of its values one at a time, in order.
    mutating func add(_ values: UnsafeBufferPointer<Double>, shift: Double) {
        precondition(count % 8 == 0, "only a chunk's last part may end inside a group of eight")
        careful = true
        typealias Lanes = SIMD4<Double>
        let shifts = Lanes(repeating: shift)
        var nonFiniteLanes = SIMD4<UInt64>()
        /// The deviations of four values from the shift, zero for the non-finite ones, and their
        /// extremes and non-finite count taken in.
        @inline(__always) func deviations(_ x: Lanes) -> Lanes {
            let finite = Self.finite(x)
            lows.replace(with: x, where: finite .& (x .< lows))
            highs.replace(with: x, where: finite .& (x .> highs))
            nonFiniteLanes &+= SIMD4<UInt64>().replacing(with: 1, where: .!finite)
            return (x - shifts).replacing(with: 0, where: .!finite)
        }
        let n = values.count
        var i = 0
        if let base = values.baseAddress {
            while i &+ 8 <= n {
                let d = deviations(StoredValues(base: base).lanes(at: i)), e = deviations(StoredValues(base: base).lanes(at: i &+ 4))
                sums += d
                squares.addProduct(d, d)
                upperSums += e
                upperSquares.addProduct(e, e)
                i &+= 8
            }
            if i &+ 4 <= n {
                let d = deviations(StoredValues(base: base).lanes(at: i))
                sums += d
                squares.addProduct(d, d)
                i &+= 4
            }
        }
        while i < n {
            let x = values[i], finite = x.isFinite
            let d = finite ? x - shift : 0
            sums[0] += d
            squares[0].addProduct(d, d)
            if finite && x < lows[0] { lows[0] = x }
            if finite && x > highs[0] { highs[0] = x }
            if !finite { nonFiniteLanes[0] += 1 }
            i += 1
        }
        nonFinite += nonFiniteLanes.wrappedSum()
        count += n
    }

    /// The lanes holding finite values: those whose exponent field is not all ones.
    @inline(__always)
    static func finite(_ x: SIMD4<Double>) -> SIMDMask<SIMD4<Int64>> {
        let exponents = unsafeBitCast(x, to: SIMD4<Int64>.self) & 0x7FF0_0000_0000_0000
        return exponents .!= 0x7FF0_0000_0000_0000
    }

    /// The fast pass for the common case, a positive-only series without non-finite values: the
    /// lanes (same order as the careful pass, so the same bits) and every value's histogram slot
    /// (`SeriesGeometry.positiveSlot(of:)`, eight at a time). Returns false,
    /// having changed nothing, when a value is not finite or the squares overflow, and once the
    /// chunk has taken the careful pass.
    @inline(__always)
    mutating func addPositive<Values: LaneValues>(_ v: Values, count n: Int, geometry: SeriesGeometry,
                                                  slots: UnsafeMutablePointer<UInt16>) -> Bool {
        precondition(count % 8 == 0, "only a chunk's last part may end inside a group of eight")
        if careful { return false }
        guard n > 0 else { return true }
        typealias Lanes = SIMD4<Double>
        let shifts = Lanes(repeating: geometry.shift)
        let keyBase = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: geometry.positiveKeyBase))
        let overflowSlot = SIMD8<UInt16>(repeating: UInt16(geometry.overflowSlot))
        var sums = self.sums, upperSums = self.upperSums, squares = self.squares, upperSquares = self.upperSquares
        var lows = self.lows, highs = self.highs
        @inline(__always) func fold(_ x: Lanes) {
            lows.replace(with: x, where: x .< lows)
            highs.replace(with: x, where: x .> highs)
        }
        /// `positiveSlot(of:)` of eight values, from the upper 32 bits of each: shifted arithmetically
        /// they give the key of a positive value and a negative number for a negative one, so one
        /// clamp sends values below the range, zeros and negative values to underflow (slot 0), and
        /// values above it to overflow, exactly as positiveSlot has them (NaN fails the pass anyway).
        /// The slots come in an order of their own; the commit counts them in any order.
        @inline(__always) func slotsOf(_ x: Lanes, _ y: Lanes) -> SIMD8<UInt16> {
            let a = unsafeBitCast(x, to: SIMD8<Int32>.self), b = unsafeBitCast(y, to: SIMD8<Int32>.self)
            let upper = SIMD8(a[1], a[3], b[1], b[3], a[5], a[7], b[5], b[7])  // one vshufps
            let slot = (upper &>> Int32(SeriesGeometry.keyShift - 32)) &- keyBase
            // Clamped to 0...65535 and narrowed (one saturating pack), then to the overflow slot.
            let narrowed = SIMD8<UInt16>(truncatingIfNeeded: pointwiseMin(pointwiseMax(slot, .zero), SIMD8(repeating: 0xFFFF)))
            return pointwiseMin(narrowed, overflowSlot)
        }
        let target = UnsafeMutableRawPointer(slots)
        let aligned = UInt(bitPattern: target) & 15 == 0
        var i = 0
        while i &+ 8 <= n {
            let x = v.lanes(at: i), y = v.lanes(at: i &+ 4)
            let dx = x - shifts, dy = y - shifts
            sums += dx
            upperSums += dy
            squares.addProduct(dx, dx)
            upperSquares.addProduct(dy, dy)
            fold(x)
            fold(y)
            storeSlots(slotsOf(x, y), target, i &* 2, aligned: aligned)
            i &+= 8
        }
        if i &+ 4 <= n {
            let x = v.lanes(at: i), d = x - shifts
            sums += d
            squares.addProduct(d, d)
            fold(x)
            for k in 0..<4 { slots[i + k] = UInt16(truncatingIfNeeded: geometry.positiveSlot(of: x[k])) }
            i &+= 4
        }
        while i < n {
            let x = v.value(at: i), d = x - geometry.shift
            sums[0] += d
            squares[0].addProduct(d, d)
            lows[0] = x < lows[0] ? x : lows[0]
            highs[0] = x > highs[0] ? x : highs[0]
            slots[i] = UInt16(truncatingIfNeeded: geometry.positiveSlot(of: x))
            i += 1
        }
        // Any NaN or infinity makes the square sum non-finite (NaN, or +inf from ±inf); so can an
        // overflow of finite values: either way the careful pass takes over. Once non-finite, the
        // sum stays so, so every later part fails too.
        let squareLanes = squares + upperSquares
        guard ((squareLanes[0] + squareLanes[1]) + (squareLanes[2] + squareLanes[3])).isFinite else { return false }
        self.sums = sums
        self.upperSums = upperSums
        self.squares = squares
        self.upperSquares = upperSquares
        self.lows = lows
        self.highs = highs
        count += n
        return true
    }

    /// The fast pass for finite values of a series of any sign: for finite values the careful pass's
    /// operations lane by lane (and its way of combining the extremes, so the same bits), with every
    /// value's slot (`SeriesGeometry.slots(ofFinite:_:)`, eight at a time, in that order), in one
    /// read of the values instead of the careful pass's two. Returns nil, having changed nothing,
    /// when a value is not finite or the squares overflow (the careful pass then takes the part);
    /// otherwise whether a slot is spilled.
    @inline(__always)
    mutating func addFinite<Values: LaneValues>(_ v: Values, count n: Int, geometry: SeriesGeometry,
                                                slots: UnsafeMutablePointer<UInt16>) -> Bool? {
        precondition(count % 8 == 0, "only a chunk's last part may end inside a group of eight")
        guard n > 0 else { return false }
        typealias Lanes = SIMD4<Double>
        typealias Slots = SIMD8<Int32>
        let shifts = Lanes(repeating: geometry.shift)
        let overflow = Slots(repeating: Int32(geometry.overflowSlot)), nearZero = Slots(repeating: Int32(geometry.nearZeroSlot))
        // A copy, kept only when every value was finite.
        var pass = self
        var spilled = SIMDMask<Slots>()
        let target = UnsafeMutableRawPointer(slots)
        let aligned = UInt(bitPattern: target) & 15 == 0
        var i = 0
        while i &+ 8 <= n {
            let x = v.lanes(at: i), y = v.lanes(at: i &+ 4)
            let dx = x - shifts, dy = y - shifts
            pass.sums += dx
            pass.upperSums += dy
            pass.squares.addProduct(dx, dx)
            pass.upperSquares.addProduct(dy, dy)
            pass.lows.replace(with: x, where: x .< pass.lows)
            pass.highs.replace(with: x, where: x .> pass.highs)
            pass.lows.replace(with: y, where: y .< pass.lows)
            pass.highs.replace(with: y, where: y .> pass.highs)
            let eight = geometry.slots(ofFinite: x, y)
            spilled .|= (eight .== .zero) .| (eight .== overflow) .| (eight .== nearZero)
            storeSlots(SIMD8<UInt16>(truncatingIfNeeded: eight), target, i &* 2, aligned: aligned)
            i &+= 8
        }
        var spilledTail = false
        if i &+ 4 <= n {
            let x = v.lanes(at: i), d = x - shifts
            pass.sums += d
            pass.squares.addProduct(d, d)
            pass.lows.replace(with: x, where: x .< pass.lows)
            pass.highs.replace(with: x, where: x .> pass.highs)
            for k in 0..<4 {
                let slot = geometry.slot(of: x[k])
                spilledTail = spilledTail || geometry.isSpilled(slot: slot)
                slots[i + k] = UInt16(truncatingIfNeeded: slot)
            }
            i &+= 4
        }
        while i < n {
            let x = v.value(at: i), d = x - geometry.shift
            pass.sums[0] += d
            pass.squares[0].addProduct(d, d)
            // Strictly beyond, as the careful pass: of a -0 and a +0, the first stays.
            if x < pass.lows[0] { pass.lows[0] = x }
            if x > pass.highs[0] { pass.highs[0] = x }
            let slot = geometry.slot(of: x)
            spilledTail = spilledTail || geometry.isSpilled(slot: slot)
            slots[i] = UInt16(truncatingIfNeeded: slot)
            i += 1
        }
        // As in `addPositive`: a NaN or infinity, or an overflow, leaves the square sum non-finite.
        let squareLanes = pass.squares + pass.upperSquares
        guard ((squareLanes[0] + squareLanes[1]) + (squareLanes[2] + squareLanes[3])).isFinite else { return nil }
        pass.careful = true
        pass.count += n
        self = pass
        return any(spilled) || spilledTail
    }

    /// True when the extremes so far reach below `floor` or up to `ceiling`.
    @inline(__always)
    func leaves(above floor: Double, below ceiling: Double) -> Bool {
        any(lows .< SIMD4(repeating: floor)) || any(highs .>= SIMD4(repeating: ceiling))
    }

    /// The chunk's summary from the lanes so far.
    var summary: ChunkSummary {
        var summary = ChunkSummary()
        let sumLanes = sums + upperSums, squareLanes = squares + upperSquares
        summary.shiftedSum = (sumLanes[0] + sumLanes[1]) + (sumLanes[2] + sumLanes[3])
        summary.shiftedSquareSum = (squareLanes[0] + squareLanes[1]) + (squareLanes[2] + squareLanes[3])
        summary.nonFiniteCount = nonFinite - leftOut
        summary.finiteCount = UInt64(count) - nonFinite
        if careful {
            // As SIMD4's min() and max(): lane by lane from the first, with minimum/maximum.
            summary.minimum = Double.minimum(Double.minimum(Double.minimum(lows[0], lows[1]), lows[2]), lows[3])
            summary.maximum = Double.maximum(Double.maximum(Double.maximum(highs[0], highs[1]), highs[2]), highs[3])
        } else {
            summary.minimum = Swift.min(Swift.min(lows[0], lows[1]), Swift.min(lows[2], lows[3]))
            summary.maximum = Swift.max(Swift.max(highs[0], highs[1]), Swift.max(highs[2], highs[3]))
        }
        return summary
    }
}

/// Where the fast pass reads a part's values: four at a time, or one; the careful pass reads them
/// stored one after another.
protocol LaneValues {
    func lanes(at i: Int) -> SIMD4<Double>
    func value(at i: Int) -> Double
    /// The first `count` values stored, in `scratch` if they are not already.
    func stored(count: Int, scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double>
}

extension LaneValues {
    /// Values made from others: written to `scratch` one by one.
    func stored(count: Int, scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
        for i in 0..<count { scratch[i] = value(at: i) }
        return UnsafePointer(scratch)
    }
}

/// Values stored one after another.
struct StoredValues: LaneValues {
    let base: UnsafePointer<Double>

    @inline(__always) func lanes(at i: Int) -> SIMD4<Double> { UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Double>.self) }
    @inline(__always) func value(at i: Int) -> Double { base[i] }
    func stored(count: Int, scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> { base }
}

/// Stores eight staged slots at `target + offset`, past the caches when 16-byte aligned: the commit
/// reads them only after the worker has stored a part into every other series (megabytes), by when
/// they would have left the caches anyway, and a cached store first reads the line it writes (1M
/// samples: a comparison 4 % faster, a run 3 %). Such stores need `orderStagedSlots` on the storing
/// thread before another thread reads them (`HistogramStaging.closeBlocks` does it).
@inline(__always)
func storeSlots(_ slots: SIMD8<UInt16>, _ target: UnsafeMutableRawPointer, _ offset: Int, aligned: Bool) {
    if aligned {
        hpmc_store_nontemporal(slots, (target + offset).assumingMemoryBound(to: SIMD8<UInt16>.self))
    } else {
        target.storeBytes(of: slots, toByteOffset: offset, as: SIMD8<UInt16>.self)
    }
}

/// Orders the slots `storeSlots` stored before any later store of this thread (a store fence).
@inline(__always)
func orderStagedSlots() {
    hpmc_store_fence()
}
