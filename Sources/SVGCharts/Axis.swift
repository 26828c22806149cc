import Foundation

/// "Nice" axis ticks: steps of 1, 2, 2.5 or 5 times a power of ten, covering the data.
public struct NiceScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let step: Double

    /// At most about `maximumTicks` ticks from a value at or below `minimum` to one at or above `maximum`.
    public init(minimum: Double, maximum: Double, maximumTicks: Int = 6) {
        var low = minimum.isFinite ? minimum : 0, high = maximum.isFinite ? maximum : 1
        if low > high { swap(&low, &high) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let rough = (high - low) / Double(max(1, maximumTicks - 1))
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough * (1 - 1e-9) } ?? 10 * magnitude
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded()) + 1
        return (0..<count).map { lower + Double($0) * step }
    }

    /// The position of `value` on a pixel range.
    func map(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }
}

/// The plotting frame: margins, axes, gridlines and labels shared by the x–y charts.
struct PlotFrame {
    let left: Double, top: Double, right: Double, bottom: Double

    init(width: Int, height: Int, legendWidth: Double) {
        left = 72
        top = 44
        right = Double(width) - 16 - legendWidth
        bottom = Double(height) - 52
    }

    var width: Double { right - left }
    var height: Double { bottom - top }

    func drawAxes(into svg: inout SVGDocument, x: NiceScale, y: NiceScale, xLabel: String, yLabel: String, integerX: Bool) {
        for tick in y.ticks {
            let py = y.map(tick, from: bottom, to: top)
            svg.add("<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(py))\" x2=\"\(coordinate(right))\" y2=\"\(coordinate(py))\" stroke=\"#e3e3e3\" stroke-width=\"1\"/>")
            svg.add(text(tickLabel(tick, step: y.step), x: left - 6, y: py + 4, size: 11, anchor: "end"))
        }
        for tick in x.ticks {
            let px = x.map(tick, from: left, to: right)
            svg.add("<line x1=\"\(coordinate(px))\" y1=\"\(coordinate(bottom))\" x2=\"\(coordinate(px))\" y2=\"\(coordinate(bottom + 4))\" stroke=\"#555555\"/>")
            svg.add(text(integerX ? String(Int(tick.rounded())) : tickLabel(tick, step: x.step), x: px, y: bottom + 17, size: 11))
        }
        svg.add("<rect x=\"\(coordinate(left))\" y=\"\(coordinate(top))\" width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" fill=\"none\" stroke=\"#555555\"/>")
        svg.add(text(xLabel, x: left + width / 2, y: bottom + 38, size: 12))
        svg.add(text(yLabel, x: 18, y: top + height / 2, size: 12, rotate: -90))
    }
}

/// Colour-blind-safe hues (Okabe–Ito).
public enum Palette {
    public static let blue = "#0072B2"
    public static let orange = "#E69F00"
    public static let green = "#009E73"
    public static let vermillion = "#D55E00"
    public static let purple = "#CC79A7"
    public static let sky = "#56B4E9"
    public static let black = "#000000"
}
