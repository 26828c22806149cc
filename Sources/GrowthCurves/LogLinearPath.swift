import Foundation

/// A path through positive anchors (x, y) growing at a constant compound rate between anchors
/// (linear interpolation of ln y) and continuing beyond either end at the nearest interval's rate.
public struct LogLinearPath: Sendable {
    /// Anchor x values, strictly increasing.
    public let xs: [Double]
    /// Anchor y values, all positive.
    public let ys: [Double]
    /// Continuous growth rate ln(y_{k+1} / y_k) / (x_{k+1} − x_k) of each interval.
    public let logGrowthRates: [Double]

    /// - Throws: `PathError` unless there are at least two finite anchors with strictly increasing
    ///   x and positive y.
    public init(anchors: [(x: Double, y: Double)]) throws {
        (xs, ys) = try validatedAnchors(anchors, minimumCount: 2)
        for (i, value) in ys.enumerated() where !(value > 0) {
            throw PathError.nonPositiveValue(index: i, value: value)
        }
        let (x, y) = (xs, ys)
        logGrowthRates = (0..<(x.count - 1)).map { (k: Int) -> Double in
            log(y[k + 1] / y[k]) / (x[k + 1] - x[k])
        }
    }

    /// Compound growth rate per unit of x in each interval, e.g. 0.05 for 5 % a year.
    public var growthRates: [Double] { logGrowthRates.map { expm1($0) } }

    /// Compound growth rate per unit of x that applies at `x` (the nearest interval's beyond the ends).
    public func growthRate(at x: Double) -> Double {
        expm1(logGrowthRates[intervalIndex(of: x, in: xs)])
    }

    /// The path at `x`.
    public func value(at x: Double) -> Double {
        let k = intervalIndex(of: x, in: xs)
        // Beyond the right end, grow from the last anchor so that it is reproduced exactly.
        let base = x > xs[k + 1] ? k + 1 : k
        return ys[base] * exp(logGrowthRates[k] * (x - xs[base]))
    }
}
