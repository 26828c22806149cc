/// The lanes one step of the kernel computes at once: four (`Quad`) or one (`Double`).
///
/// Every operation is the IEEE operation lane by lane, so a lane's bits never depend on the width
/// it was computed at: a step is written once, generic over the width, and run four lanes at a time
/// with the remainder one by one.
public protocol LaneVector: FusedLanes {
    init(loading address: UnsafePointer<Double>)
    func store(to address: UnsafeMutablePointer<Double>)
    /// A scalar function (libm's log, …) applied lane by lane.
    func map(_ transform: (Double) -> Double) -> Self
    /// e^x lane by lane, the same bits at every width (see `Double.exponential()`).
    func exponential() -> Self
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
}

/// Lanes of doubles with a fused multiply-add: what a weighted sum needs. The kernel's
/// `LaneVector`s have it, and so has `SIMD4<Double>`, the statistics' lanes.
public protocol FusedLanes {
    init(broadcast value: Double)
    /// self + a·b rounded once (a fused multiply-add), lane by lane.
    func addingProduct(_ a: Self, _ b: Self) -> Self
}

extension FusedLanes {
    /// One more term of a weighted sum, self + w·x, in one rounding.
    @inlinable @inline(__always) public func addingTerm(_ weight: Double, _ x: Self) -> Self {
        addingProduct(Self(broadcast: weight), x)
    }

    /// 0 + w₀x₀ + w₁x₁ + … + wₙ₋₁xₙ₋₁, term by term in order, each one `addingTerm`. Every total
    /// series is added up so, in the kernel and in the statistics' staging alike, which therefore
    /// agree to the bit; a caller that goes term by term over many lanes keeps each lane's chain
    /// by starting from `Self(broadcast: 0)` and adding the terms in the same order.
    @inlinable @inline(__always)
    public static func weightedSum(count: Int, weight: (Int) -> Double, term: (Int) -> Self) -> Self {
        var sum = Self(broadcast: 0)
        for t in 0..<count { sum = sum.addingTerm(weight(t), term(t)) }
        return sum
    }
}

extension SIMD4: FusedLanes where Scalar == Double {
    @inlinable @inline(__always) public init(broadcast value: Double) { self.init(repeating: value) }
}

extension Double: LaneVector {
    @inlinable @inline(__always) public init(broadcast value: Double) { self = value }
    @inlinable @inline(__always) public init(loading address: UnsafePointer<Double>) { self = address.pointee }
    @inlinable @inline(__always) public func store(to address: UnsafeMutablePointer<Double>) { address.pointee = self }
    @inlinable @inline(__always) public func map(_ transform: (Double) -> Double) -> Double { transform(self) }
}

/// Four lanes as four plain doubles: the optimizer turns the lane-wise operations into vector
/// instructions, and unoptimized builds stay quick (SIMD4's generic operations are slow there).
@frozen public struct Quad: LaneVector {
    public var a, b, c, d: Double

    @inlinable @inline(__always) public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    @inlinable @inline(__always) public init(broadcast value: Double) { self.init(value, value, value, value) }
    @inlinable @inline(__always) public init(loading p: UnsafePointer<Double>) { self.init(p[0], p[1], p[2], p[3]) }

    @inlinable @inline(__always) public func store(to p: UnsafeMutablePointer<Double>) {
        p[0] = a
        p[1] = b
        p[2] = c
        p[3] = d
    }

    @inlinable @inline(__always) public func map(_ f: (Double) -> Double) -> Quad { Quad(f(a), f(b), f(c), f(d)) }
    @inlinable @inline(__always) public static func + (x: Quad, y: Quad) -> Quad { Quad(x.a + y.a, x.b + y.b, x.c + y.c, x.d + y.d) }
    @inlinable @inline(__always) public static func - (x: Quad, y: Quad) -> Quad { Quad(x.a - y.a, x.b - y.b, x.c - y.c, x.d - y.d) }
    @inlinable @inline(__always) public static func * (x: Quad, y: Quad) -> Quad { Quad(x.a * y.a, x.b * y.b, x.c * y.c, x.d * y.d) }
    @inlinable @inline(__always) public static func / (x: Quad, y: Quad) -> Quad { Quad(x.a / y.a, x.b / y.b, x.c / y.c, x.d / y.d) }

    @inlinable @inline(__always) public func addingProduct(_ x: Quad, _ y: Quad) -> Quad {
        Quad(a.addingProduct(x.a, y.a), b.addingProduct(x.b, y.b), c.addingProduct(x.c, y.c), d.addingProduct(x.d, y.d))
    }

    /// Lane `lane` (0 to 3).
    @inlinable public subscript(lane: Int) -> Double {
        get { lane == 0 ? a : lane == 1 ? b : lane == 2 ? c : d }
        set {
            switch lane {
            case 0: a = newValue
            case 1: b = newValue
            case 2: c = newValue
            default: d = newValue
            }
        }
    }
}
