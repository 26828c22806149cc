/// A path through anchors (x, y), linear between anchors and constant beyond the first and last.
public struct PiecewiseLinearPath: Sendable {
    /// Anchor x values, strictly increasing.
    public let xs: [Double]
    /// Anchor y values.
    public let ys: [Double]

    /// - Throws: `PathError` unless there is at least one anchor, all finite, with strictly increasing x.
    public init(anchors: [(x: Double, y: Double)]) throws {
        (xs, ys) = try validatedAnchors(anchors, minimumCount: 1)
    }

    /// The path at `x`.
    public func value(at x: Double) -> Double {
        if x <= xs[0] { return ys[0] }
        if x >= xs[xs.count - 1] { return ys[ys.count - 1] }
        let k = intervalIndex(of: x, in: xs)
        let fraction = (x - xs[k]) / (xs[k + 1] - xs[k])
        return ys[k] + fraction * (ys[k + 1] - ys[k])
    }
}
