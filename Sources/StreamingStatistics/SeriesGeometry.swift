/// How one series maps a value to a histogram slot, straight from its IEEE-754 bits.
///
/// The bucket key of a finite double is its biased exponent followed by the top 10 mantissa
/// bits (`magnitudeBits >> 42`), which is monotone in the magnitude; a bucket spans a relative
/// width of at most 2⁻¹⁰. Negative values take the one's complement of the key so that one signed
/// key `k` is monotone in the value. The keys of magnitudes below the near-zero floor `2^zeroExponent`
/// are collapsed into a single slot by `transformed(_:)`, and the result is clamped into
/// the in-range slots, with slot 0 for underflow and `inRangeCount + 1` for overflow. Those three
/// unresolved slots count their values, and the accumulator keeps the same values' full keys
/// (`spillKey(of:)`) in its spill store, so every finite value is known to 2⁻¹⁰ relative.
///
/// Slots in value order: `0` underflow, `1...inRangeCount` in range, `inRangeCount + 1` overflow,
/// then `inRangeCount + 2` for non-finite values (not part of the order).
struct SeriesGeometry: Sendable, Equatable {
    /// Mantissa bits kept in the bucket key: relative bucket width 2⁻¹⁰ < 0.1 %.
    static let mantissaBits = 10
    static let keyShift = UInt64(52 - mantissaBits)
    /// Key of exponent field all ones: infinities and NaNs.
    static let nonFiniteKey = Int64(0x7FF) << Int64(mantissaBits)
    /// The near-zero floor is `2^(⌊log2 max|range|⌋ − floorOctaves)`.
    static let floorOctaves = 12
    /// Fractional bits below the series scale kept by the fixed-point moment sums.
    static let fixedPointFractionBits = 50

    /// Half-width, in keys, of the key span collapsed into the near-zero slot (0 when there is none).
    let zeroHalfWidth: Int64
    /// Transformed key of slot 1.
    let firstTransformed: Int64
    /// Number of slots between underflow and overflow.
    let inRangeCount: Int
    /// Magnitudes below `2^zeroExponent` fall into the near-zero slot (when the range reaches zero).
    let zeroExponent: Int
    /// Subtracted from every value before the moment sums so they do not cancel: the range midpoint.
    let shift: Double
    /// Sum of `x − shift` is kept in units of `2^(scaleExponent − 50)`, of squares in `2^(2·scaleExponent − 50)`.
    let scaleExponent: Int

    var slotCount: Int { inRangeCount + 3 }
    var overflowSlot: Int { inRangeCount + 1 }
    var nonFiniteSlot: Int { inRangeCount + 2 }
    var firstMomentExponent: Int { scaleExponent - Self.fixedPointFractionBits }
    var secondMomentExponent: Int { 2 * scaleExponent - Self.fixedPointFractionBits }

    init(range: SeriesRange) {
        precondition(range.isValid, "SeriesRange needs finite bounds with lower <= upper: \(range)")
        let lower = range.lower, upper = range.upper
        let magnitude = max(abs(lower), abs(upper))
        let floor = magnitude > 0 ? max(magnitude.exponent - Self.floorOctaves, -1022) : -1022
        // Octave bounds with at least a factor-2 margin around the range; 1024 is the end of the finite doubles.
        func top(_ bound: Double) -> Int { min(max(bound.exponent + 2, floor), 1024) }
        func bottom(_ bound: Double) -> Int { max(bound.exponent - 1, floor) }

        zeroExponent = floor
        shift = lower / 2 + upper / 2
        let scale = max(upper / 2 - lower / 2, magnitude * 0x1p-13, Double.leastNormalMagnitude)
        scaleExponent = scale.exponent + 1

        if lower > 0, bottom(lower) > floor {
            let low = Self.key(octave: bottom(lower)), high = Self.key(octave: top(upper))
            zeroHalfWidth = 0
            firstTransformed = low + 1
            inRangeCount = Int(high - low)
        } else if upper < 0, bottom(-upper) > floor {
            let low = Self.key(octave: bottom(-upper)), high = Self.key(octave: top(-lower))
            zeroHalfWidth = 0
            firstTransformed = -high
            inRangeCount = Int(high - low)
        } else {
            let zero = Self.key(octave: floor)
            let negativeTop = lower < 0 ? Self.key(octave: top(-lower)) : zero
            let positiveTop = upper > 0 ? Self.key(octave: top(upper)) : zero
            zeroHalfWidth = zero
            firstTransformed = zero - negativeTop
            inRangeCount = Int(negativeTop - zero) + 1 + Int(positiveTop - zero)
        }
    }

    /// The slot of magnitudes below the near-zero floor, or −1 when the range does not reach zero.
    var nearZeroSlot: Int { zeroHalfWidth > 0 ? Int(1 - firstTransformed) : -1 }

    /// True for the slots whose values also go to the spill store: underflow, overflow, near zero.
    @inline(__always)
    func isSpilled(slot: Int) -> Bool { slot == 0 || slot == overflowSlot || slot == nearZeroSlot }

    /// True when a value between `minimum` and `maximum` can fall in an unresolved slot.
    func mayHoldSpilled(minimum: Double, maximum: Double) -> Bool {
        let low = slot(of: minimum), high = slot(of: maximum)
        return low == 0 || high == overflowSlot || (nearZeroSlot >= low && nearZeroSlot <= high)
    }

    /// The signed bucket key of a finite value over the whole finite range, monotone in the value.
    @inline(__always)
    static func spillKey(of value: Double) -> Int64 {
        let bits = Int64(bitPattern: value.bitPattern)
        let key = (bits & Int64.max) >> Int64(keyShift)
        return bits < 0 ? ~key : key
    }

    /// The values of one signed key: 2⁻¹⁰ relative wide, or 2⁻¹⁰³² absolute for the keys of
    /// zero and the subnormals.
    static func valueInterval(spillKey key: Int64) -> (lower: Double, upper: Double) {
        let magnitude = UInt64(key >= 0 ? key : ~key)
        let low = Double(bitPattern: magnitude << keyShift), high = Double(bitPattern: (magnitude + 1) << keyShift)
        return key >= 0 ? (low, high) : (-high, -low)
    }

    /// The smallest magnitude of a signed key, with its sign: a value whose key it is.
    static func value(spillKey key: Int64) -> Double {
        Double(bitPattern: UInt64(key >= 0 ? key : ~key) << keyShift | (key < 0 ? 1 << 63 : 0))
    }

    /// Bucket key of the power of two `2^octave`.
    static func key(octave: Int) -> Int64 {
        Int64(octave + 1023) << Int64(mantissaBits)
    }

    /// Collapses the keys of magnitudes below the floor into 0; monotone in the signed key.
    @inline(__always)
    static func transformed(_ signedKey: Int64, zeroHalfWidth g: Int64) -> Int64 {
        signedKey >= g ? signedKey - g + 1 : (signedKey >= -g ? 0 : signedKey + g)
    }

    /// Slot of one value; a few integer operations, no branches that depend on the data beyond selects.
    @inline(__always)
    func slot(of value: Double) -> Int {
        let bits = Int64(bitPattern: value.bitPattern)
        let key = (bits & Int64.max) >> Int64(Self.keyShift)
        let signedKey = bits < 0 ? ~key : key
        let t = Self.transformed(signedKey, zeroHalfWidth: zeroHalfWidth)
        let clamped = Int(min(max(t - firstTransformed + 1, 0), Int64(inRangeCount + 1)))
        return key >= Self.nonFiniteKey ? nonFiniteSlot : clamped
    }

    /// `slot(of:)` of four values, the same integer operations lane by lane.
    @inline(__always)
    func slots(of x: SIMD4<Double>) -> SIMD4<Int64> {
        typealias Keys = SIMD4<Int64>
        let bits = unsafeBitCast(x, to: Keys.self)
        let key = (bits & Int64.max) &>> Int64(Self.keyShift)
        let signedKey = key.replacing(with: ~key, where: bits .< 0)
        let g = Keys(repeating: zeroHalfWidth)
        var t = (signedKey &+ g).replacing(with: 0, where: signedKey .>= 0 &- g)
        t.replace(with: signedKey &- g &+ 1, where: signedKey .>= g)
        // Clamped by selects: the generic pointwiseMin and pointwiseMax are calls.
        var slots = t &- (firstTransformed - 1)
        slots.replace(with: 0, where: slots .< 0)
        slots.replace(with: Int64(overflowSlot), where: slots .> Int64(overflowSlot))
        slots.replace(with: Int64(nonFiniteSlot), where: key .>= Self.nonFiniteKey)
        return slots
    }

    /// `slot(of:)` of eight finite values, the same operations on 32-bit lanes: a key's bits all lie
    /// in a double's upper 32 bits, and keys, half-widths and slots fit 32 bits (below 2²²), so eight
    /// lanes take the work of four. The slots come in the order of their upper halves' shuffle,
    /// `x0 x1 y0 y1 x2 x3 y2 y3` (one vshufps), which the commit's counting does not see.
    @inline(__always)
    func slots(ofFinite x: SIMD4<Double>, _ y: SIMD4<Double>) -> SIMD8<Int32> {
        typealias Keys = SIMD8<Int32>
        let a = unsafeBitCast(x, to: Keys.self), b = unsafeBitCast(y, to: Keys.self)
        let upper = SIMD8(a[1], a[3], b[1], b[3], a[5], a[7], b[5], b[7])
        let key = (upper & Int32.max) &>> Int32(Self.keyShift - 32)
        // The one's complement of a negative value's key: key XOR all ones.
        let signedKey = key ^ (upper &>> 31)
        let g = Keys(repeating: Int32(truncatingIfNeeded: zeroHalfWidth))
        var t = (signedKey &+ g).replacing(with: 0, where: signedKey .>= 0 &- g)
        t.replace(with: signedKey &- g &+ 1, where: signedKey .>= g)
        let slots = t &- Keys(repeating: Int32(truncatingIfNeeded: firstTransformed - 1))
        // A comparison with a scalar compiles to a loop over the lanes; these are one instruction each.
        return pointwiseMin(pointwiseMax(slots, .zero), Keys(repeating: Int32(truncatingIfNeeded: overflowSlot)))
    }

    /// Which of eight values slot `k` of `slots(ofFinite:_:)` (and of the positive-only fast pass's
    /// eight) belongs to: `k` with its bits 1 and 2 swapped.
    @inline(__always)
    static func valueInGroup(ofSlot k: Int) -> Int {
        k & 1 | (k >> 2 & 1) << 1 | (k >> 1 & 1) << 2
    }

    /// True when one of four slots is spilled or the non-finite one: slots that need more than storing.
    @inline(__always)
    func holdsExceptional(_ slots: SIMD4<Int64>) -> Bool {
        any((slots .== 0) .| (slots .== Int64(overflowSlot)) .| (slots .== Int64(nearZeroSlot)) .| (slots .== Int64(nonFiniteSlot)))
    }

    /// True for ranges resolved on the positive side only, where `positiveSlot(of:)` applies.
    var isPositiveOnly: Bool { zeroHalfWidth == 0 && firstTransformed > 0 }

    /// `slot(of:)` for finite values of a positive-only series, in fewer operations, and ones that
    /// vectorize: the value is clamped, as a double, between the smallest double of the underflow
    /// key (`positiveFloor`) and the smallest of the overflow key (`positiveCeiling`); the clamped
    /// value is positive, so its key is a logical shift of its bits, already within the slots.
    /// Negative values and zeros clamp to the floor, that is underflow, as `slot(of:)` has them.
    @inline(__always)
    func positiveSlot(of value: Double) -> Int {
        let floor = positiveFloor, ceiling = positiveCeiling
        let clamped = value < floor ? floor : (value > ceiling ? ceiling : value)
        return Int(truncatingIfNeeded: (clamped.bitPattern &>> Self.keyShift) &- positiveKeyBase)
    }

    /// Key of the underflow slot of a positive-only series (slot `k − positiveKeyBase`).
    var positiveKeyBase: UInt64 { UInt64(truncatingIfNeeded: firstTransformed - 2) }
    /// The smallest double whose key is the underflow slot's; positive, as slot 1 lies above the floor.
    var positiveFloor: Double { Double(bitPattern: positiveKeyBase << Self.keyShift) }
    /// The smallest double of slot 1: below it, a positive-only series' underflow.
    var positiveResolvedFloor: Double { Double(bitPattern: (positiveKeyBase + 1) << Self.keyShift) }
    /// The smallest double whose key is the overflow slot's (+∞ when the range reaches the top octave).
    var positiveCeiling: Double { Double(bitPattern: (positiveKeyBase &+ UInt64(overflowSlot)) << Self.keyShift) }

    /// The closed interval of values an ordered slot (0...overflowSlot) can hold, and whether that
    /// interval is narrow enough for the 0.1 % relative guarantee (true for the log-linear buckets only).
    func valueInterval(slot: Int) -> (lower: Double, upper: Double, resolved: Bool) {
        precondition(slot >= 0 && slot <= overflowSlot)
        if slot == 0 { return (-.infinity, valueInterval(slot: 1).lower, false) }
        if slot == overflowSlot { return (valueInterval(slot: inRangeCount).upper, .infinity, false) }
        let t = firstTransformed + Int64(slot - 1)
        let g = zeroHalfWidth
        if g > 0 && t == 0 {
            let floor = Double(sign: .plus, exponent: zeroExponent, significand: 1)
            return (-floor, floor, false)
        }
        let positive = g > 0 ? t > 0 : t >= 1
        let key = positive ? t - 1 + g : ~(t - g)
        let low = Double(bitPattern: UInt64(key) << Self.keyShift)
        let high = Double(bitPattern: UInt64(key + 1) << Self.keyShift)
        return positive ? (low, high, true) : (-high, -low, true)
    }
}
