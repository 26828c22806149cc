/// The lanes one step of the kernel computes at once: four (`Quad`) or one (`Double`).
///
/// Every operation is the IEEE operation lane by lane, so a lane's bits never depend on the width
/// it was computed at: a step is written once, generic over the width, and run four lanes at a time
/// with the remainder one by one.
protocol LaneVector {
    init(broadcast value: Double)
    init(loading address: UnsafePointer<Double>)
    func store(to address: UnsafeMutablePointer<Double>)
    /// A scalar function (libm's exp, …) applied lane by lane.
    func map(_ transform: (Double) -> Double) -> Self
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
}

extension Double: LaneVector {
    @inline(__always) init(broadcast value: Double) { self = value }
    @inline(__always) init(loading address: UnsafePointer<Double>) { self = address.pointee }
    @inline(__always) func store(to address: UnsafeMutablePointer<Double>) { address.pointee = self }
    @inline(__always) func map(_ transform: (Double) -> Double) -> Double { transform(self) }
}

/// Four lanes as four plain doubles: the optimizer turns the lane-wise operations into vector
/// instructions, and unoptimized builds stay quick (SIMD4's generic operations are slow there).
struct Quad: LaneVector {
    var a, b, c, d: Double

    @inline(__always) init(_ a: Double, _ b: Double, _ c: Double, _ d: Double) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    @inline(__always) init(broadcast value: Double) { self.init(value, value, value, value) }
    @inline(__always) init(loading p: UnsafePointer<Double>) { self.init(p[0], p[1], p[2], p[3]) }

    @inline(__always) func store(to p: UnsafeMutablePointer<Double>) {
        p[0] = a
        p[1] = b
        p[2] = c
        p[3] = d
    }

    @inline(__always) func map(_ f: (Double) -> Double) -> Quad { Quad(f(a), f(b), f(c), f(d)) }
    @inline(__always) static func + (x: Quad, y: Quad) -> Quad { Quad(x.a + y.a, x.b + y.b, x.c + y.c, x.d + y.d) }
    @inline(__always) static func - (x: Quad, y: Quad) -> Quad { Quad(x.a - y.a, x.b - y.b, x.c - y.c, x.d - y.d) }
    @inline(__always) static func * (x: Quad, y: Quad) -> Quad { Quad(x.a * y.a, x.b * y.b, x.c * y.c, x.d * y.d) }
    @inline(__always) static func / (x: Quad, y: Quad) -> Quad { Quad(x.a / y.a, x.b / y.b, x.c / y.c, x.d / y.d) }
}

/// One step of the kernel over a group of lanes starting at `lane`, written once for any width.
protocol LaneStep {
    func callAsFunction<V: LaneVector>(_ width: V.Type, lane: Int)
}

extension LaneStep {
    /// Runs the step for lanes `0..<count`: four at a time, then the rest one by one.
    @inline(__always)
    func run(count: Int) {
        var i = 0
        while i &+ 4 <= count {
            self(Quad.self, lane: i)
            i &+= 4
        }
        while i < count {
            self(Double.self, lane: i)
            i &+= 1
        }
    }
}
