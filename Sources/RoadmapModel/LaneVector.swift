import LaneVectors

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
