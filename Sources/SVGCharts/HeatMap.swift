import Foundation

/// A grid of cells coloured by value on a sequential scale, with a labelled colour bar.
public struct HeatMap: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var valueLabel: String
    public var xValues: [Double]
    public var yValues: [Double]
    /// `values[y][x]`.
    public var values: [[Double]]
    public var annotate = true

    public init(title: String, xLabel: String, yLabel: String, valueLabel: String, xValues: [Double], yValues: [Double], values: [[Double]]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueLabel = valueLabel
        self.xValues = xValues
        self.yValues = yValues
        self.values = values
    }

    /// Perceptually ordered ramp from dark blue through green to yellow (viridis-like anchors).
    static let ramp: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]

    static func colour(_ t: Double) -> String {
        let s = min(max(t.isFinite ? t : 0, 0), 1) * Double(ramp.count - 1)
        let i = min(Int(s), ramp.count - 2), f = s - Double(i)
        let (a, b) = (ramp[i], ramp[i + 1])
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + f * (y - x)).rounded()) }
        return String(format: "#%02x%02x%02x", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }

    public func svg(width: Int = 720, height: Int = 460, standalone: Bool = true) -> String {
        let legendWidth = 110.0
        let frame = PlotFrame(width: width, height: height, legendWidth: legendWidth)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let scale = NiceScale(minimum: finite.min() ?? 0, maximum: finite.max() ?? 1, maximumTicks: 6)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        func t(_ v: Double) -> Double { high > low ? (v - low) / (high - low) : 0.5 }
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.add(text(title, x: Double(width) / 2, y: 24, size: 15, weight: "bold"))
        let cellWidth = frame.width / Double(max(1, xValues.count)), cellHeight = frame.height / Double(max(1, yValues.count))
        for (r, row) in values.enumerated() where r < yValues.count {
            for (c, value) in row.enumerated() where c < xValues.count {
                let x = frame.left + cellWidth * Double(c), y = frame.bottom - cellHeight * Double(r + 1)
                let fill = value.isFinite ? Self.colour(t(value)) : "#cccccc"
                svg.add("<rect x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" width=\"\(coordinate(cellWidth))\" height=\"\(coordinate(cellHeight))\" fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"1\"/>")
                if annotate && value.isFinite {
                    svg.add(text(String(format: "%.3g", value), x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, size: 11,
                                 fill: t(value) > 0.6 ? "#222222" : "#ffffff"))
                }
            }
        }
        for (c, value) in xValues.enumerated() {
            svg.add(text(String(format: "%.4g", value), x: frame.left + cellWidth * (Double(c) + 0.5), y: frame.bottom + 17, size: 11))
        }
        for (r, value) in yValues.enumerated() {
            svg.add(text(String(format: "%.4g", value), x: frame.left - 6, y: frame.bottom - cellHeight * (Double(r) + 0.5) + 4, size: 11, anchor: "end"))
        }
        svg.add(text(xLabel, x: frame.left + frame.width / 2, y: frame.bottom + 38, size: 12))
        svg.add(text(yLabel, x: 18, y: frame.top + frame.height / 2, size: 12, rotate: -90))
        // The colour bar: the legend of the scale, with ticks in the data's units.
        let barX = frame.right + 24, barWidth = 16.0
        let steps = 40
        for i in 0..<steps {
            let y0 = frame.bottom - frame.height * Double(i + 1) / Double(steps)
            svg.add("<rect x=\"\(coordinate(barX))\" y=\"\(coordinate(y0))\" width=\"\(coordinate(barWidth))\" height=\"\(coordinate(frame.height / Double(steps) + 0.5))\" fill=\"\(Self.colour((Double(i) + 0.5) / Double(steps)))\"/>")
        }
        svg.add("<rect x=\"\(coordinate(barX))\" y=\"\(coordinate(frame.top))\" width=\"\(coordinate(barWidth))\" height=\"\(coordinate(frame.height))\" fill=\"none\" stroke=\"#555555\"/>")
        for tick in scale.ticks where tick >= low - 1e-12 && tick <= high + 1e-12 {
            let y = frame.bottom - frame.height * t(tick)
            svg.add("<line x1=\"\(coordinate(barX + barWidth))\" y1=\"\(coordinate(y))\" x2=\"\(coordinate(barX + barWidth + 4))\" y2=\"\(coordinate(y))\" stroke=\"#555555\"/>")
            svg.add(text(tickLabel(tick, step: scale.step), x: barX + barWidth + 7, y: y + 4, size: 10, anchor: "start"))
        }
        svg.add(text(valueLabel, x: barX + barWidth / 2, y: frame.top - 8, size: 10))
        return svg.render(standalone: standalone)
    }

    public var description: String {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        return "\(title). \(valueLabel) over \(xLabel) (\(xValues.count) values) and \(yLabel) (\(yValues.count) values); "
            + "from \(String(format: "%.4g", finite.min() ?? .nan)) to \(String(format: "%.4g", finite.max() ?? .nan))."
    }
}
