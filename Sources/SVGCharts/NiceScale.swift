import Foundation

/// Axis ticks at round numbers (1, 2 or 5 times a power of ten) covering a data range.
///
/// The rounding rule is the "nice numbers" idea of Heckbert, "Nice Numbers for Graph Labels",
/// Graphics Gems (1990): the step is the data span over the wanted number of intervals,
/// rounded to the nearest nice number.
public struct NiceScale: Sendable, Equatable {
    /// Low end of the axis: the data minimum itself when tight, else the tick at or below it.
    public let lower: Double
    /// High end of the axis: the data maximum itself when tight, else the tick at or above it.
    public let upper: Double
    /// Distance between neighbouring ticks.
    public let step: Double
    /// Tick positions from low to high, all within `lower...upper`.
    public let ticks: [Double]

    /// A scale over `minimum...maximum`.
    ///
    /// - Parameters:
    ///   - targetTickCount: about how many ticks to aim for (at least 3 are aimed for).
    ///   - tight: keep the axis at the data range (ticks inside it) instead of widening it to whole steps.
    ///   - integerStep: never step by less than 1 (for years and counts).
    /// An empty or non-finite range gives 0...1; a zero-width range is widened around its value.
    public init(minimum: Double, maximum: Double, targetTickCount: Int = 6, tight: Bool = false, integerStep: Bool = false) {
        var low = Swift.min(minimum, maximum)
        var high = Swift.max(minimum, maximum)
        if !(low.isFinite && high.isFinite && (high - low).isFinite) {
            (low, high) = (0, 1)
        }
        if high - low <= Swift.max(abs(low), abs(high)) * 1e-12 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let intervals = Double(Swift.max(targetTickCount, 3) - 1)
        var step = NiceScale.niceNumber((high - low) / intervals, rounded: true)
        if integerStep { step = Swift.max(step, 1) }
        let decimals = NiceScale.decimals(of: step)
        // The tolerance keeps a bound that is a tick (0.3 with step 0.1) from slipping past it through rounding.
        let firstIndex = tight ? ceil(low / step - 1e-9) : floor(low / step + 1e-9)
        let lastIndex = tight ? floor(high / step + 1e-9) : ceil(high / step - 1e-9)
        var ticks: [Double] = []
        var index = firstIndex
        while index <= lastIndex {
            ticks.append(NiceScale.clean(index * step, decimals: decimals))
            index += 1
        }
        self.step = step
        self.ticks = ticks
        self.lower = tight ? low : Swift.min(low, ticks.first ?? low)
        self.upper = tight ? high : Swift.max(high, ticks.last ?? high)
    }

    /// A scale over the finite members of `values` (0...1 when there are none).
    /// - Parameter includeZero: widen the range to reach zero (bar charts measure from zero).
    public init<Values: Sequence<Double>>(
        covering values: Values, includeZero: Bool = false, targetTickCount: Int = 6, tight: Bool = false, integerStep: Bool = false
    ) {
        var low = Double.infinity
        var high = -Double.infinity
        for value in values where value.isFinite {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        if low > high { (low, high) = (0, 1) }
        if includeZero { (low, high) = (Swift.min(low, 0), Swift.max(high, 0)) }
        self.init(minimum: low, maximum: high, targetTickCount: targetTickCount, tight: tight, integerStep: integerStep)
    }

    /// The nice number (1, 2, 5 or 10 times a power of ten) near `x`: the nearest when `rounded`,
    /// else the smallest one not below `x`. `x` must be positive and finite.
    public static func niceNumber(_ x: Double, rounded: Bool) -> Double {
        let exponent = floor(log10(x))
        let power = pow(10, exponent)
        let fraction = x / power
        let nice: Double
        if rounded {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * power
    }

    /// Digits after the point needed to write every tick exactly (0 for whole-number steps).
    public var decimals: Int { NiceScale.decimals(of: step) }

    static func decimals(of step: Double) -> Int {
        var scaled = step
        // Powers of ten up to 10^22 are exact doubles, so `clean` stays correctly rounded this far.
        for places in 0...22 {
            if abs(scaled - scaled.rounded()) <= 1e-6 * scaled { return places }
            scaled *= 10
        }
        return 22
    }

    /// `value` rounded to `decimals` places, so ticks read 0.3 rather than 0.30000000000000004; never -0.
    private static func clean(_ value: Double, decimals: Int) -> Double {
        let factor = pow(10, Double(decimals))
        let rounded = (value * factor).rounded() / factor
        return rounded == 0 ? 0 : rounded
    }
}
