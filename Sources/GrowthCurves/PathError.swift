/// Invalid anchors for `PiecewiseLinearPath` or `LogLinearPath`.
public enum PathError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Fewer anchors than the path needs.
    case tooFewAnchors(needed: Int, got: Int)
    /// Anchor x values must strictly increase; anchor `index` does not.
    case notStrictlyIncreasing(index: Int)
    /// Anchor `index` has a NaN or infinite coordinate.
    case nonFiniteAnchor(index: Int)
    /// Log-linear interpolation needs positive values; anchor `index` is not.
    case nonPositiveValue(index: Int, value: Double)

    public var description: String {
        switch self {
        case let .tooFewAnchors(needed, got):
            "path needs at least \(needed) anchor(s), got \(got)"
        case let .notStrictlyIncreasing(index):
            "anchor \(index) does not come strictly after anchor \(index - 1); years must strictly increase"
        case let .nonFiniteAnchor(index):
            "anchor \(index) has a NaN or infinite coordinate"
        case let .nonPositiveValue(index, value):
            "anchor \(index) has value \(value); log-linear interpolation needs positive values"
        }
    }
}

/// Checks anchor count, finiteness and strictly increasing x; returns them as two arrays.
func validatedAnchors(_ anchors: [(x: Double, y: Double)], minimumCount: Int) throws -> (x: [Double], y: [Double]) {
    guard anchors.count >= minimumCount else {
        throw PathError.tooFewAnchors(needed: minimumCount, got: anchors.count)
    }
    for (i, anchor) in anchors.enumerated() {
        guard anchor.x.isFinite, anchor.y.isFinite else { throw PathError.nonFiniteAnchor(index: i) }
        if i > 0 && !(anchor.x > anchors[i - 1].x) { throw PathError.notStrictlyIncreasing(index: i) }
    }
    return (anchors.map(\.x), anchors.map(\.y))
}

/// Index k of the interval [x_k, x_{k+1}] used at `x`: the containing one, else the nearest end one.
func intervalIndex(of x: Double, in xs: [Double]) -> Int {
    var low = 0, high = xs.count - 2
    while low < high {
        let middle = (low + high + 1) / 2
        if xs[middle] <= x { low = middle } else { high = middle - 1 }
    }
    return low
}
