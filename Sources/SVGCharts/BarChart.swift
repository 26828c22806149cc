/// Horizontal grouped bars with optional interval whiskers: one row per category (e.g. an input),
/// one bar per group (e.g. first-order and total Sobol' index), in the order given.
public struct BarChart: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var values: [Double]
        /// Half-widths of the intervals, one per category, or nil.
        public var intervals: [Double]?
        public var colour: String
        public init(name: String, values: [Double], intervals: [Double]? = nil, colour: String) {
            self.name = name; self.values = values; self.intervals = intervals; self.colour = colour
        }
    }

    public var title: String
    public var valueLabel: String
    public var categories: [String]
    public var groups: [Group] = []

    public init(title: String, valueLabel: String, categories: [String]) {
        self.title = title
        self.valueLabel = valueLabel
        self.categories = categories
    }

    public func svg(width: Int = 720, standalone: Bool = true) -> String {
        let rowHeight = 14.0 * Double(max(1, groups.count)) + 12
        let labelWidth = min(220, 7 * Double(categories.map(\.count).max() ?? 10) + 16)
        let legendWidth = 150.0
        let top = 44.0, left = labelWidth + 12
        let height = Int(top + rowHeight * Double(categories.count) + 60)
        let right = Double(width) - legendWidth - 16, bottom = Double(height) - 52
        let extents = groups.flatMap { g in g.values.indices.flatMap { i -> [Double] in
            let v = g.values[i], e = g.intervals?[i] ?? 0
            return [v - e, v + e]
        } }.filter(\.isFinite)
        let scale = NiceScale(minimum: min(0, extents.min() ?? 0), maximum: max(0, extents.max() ?? 1))
        func px(_ v: Double) -> Double { scale.map(v, from: left, to: right) }
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.add(text(title, x: Double(width) / 2, y: 24, size: 15, weight: "bold"))
        drawValueTicks(scale, position: px, top: top, bottom: bottom, into: &svg)
        svg.add("<line x1=\"\(coordinate(px(0)))\" y1=\"\(coordinate(top))\" x2=\"\(coordinate(px(0)))\" y2=\"\(coordinate(bottom))\" stroke=\"#555555\"/>")
        for (c, category) in categories.enumerated() {
            let rowTop = top + rowHeight * Double(c)
            svg.add(text(category, x: left - 8, y: rowTop + rowHeight / 2 + 4, size: 11, anchor: "end"))
            for (g, group) in groups.enumerated() where c < group.values.count && group.values[c].isFinite {
                let y = rowTop + 6 + 14 * Double(g)
                let v = group.values[c]
                let x0 = min(px(0), px(v)), w = abs(px(v) - px(0))
                svg.add("<rect x=\"\(coordinate(x0))\" y=\"\(coordinate(y))\" width=\"\(coordinate(w))\" height=\"11\" fill=\"\(group.colour)\"/>")
                if let e = group.intervals?[c], e.isFinite, e > 0 {
                    let (a, b) = (px(v - e), px(v + e))
                    svg.add("<line x1=\"\(coordinate(a))\" y1=\"\(coordinate(y + 5.5))\" x2=\"\(coordinate(b))\" y2=\"\(coordinate(y + 5.5))\" stroke=\"#222222\" stroke-width=\"1.2\"/>")
                    for end in [a, b] {
                        svg.add("<line x1=\"\(coordinate(end))\" y1=\"\(coordinate(y + 1.5))\" x2=\"\(coordinate(end))\" y2=\"\(coordinate(y + 9.5))\" stroke=\"#222222\" stroke-width=\"1.2\"/>")
                    }
                }
            }
        }
        svg.add(text(valueLabel, x: (left + right) / 2, y: bottom + 38, size: 12))
        var legend = Legend(x: right + 14, y: top + 4)
        for group in groups { legend.swatch(group.name + (group.intervals == nil ? "" : " (with interval)"), colour: group.colour, opacity: 1, into: &svg) }
        return svg.render(standalone: standalone)
    }

    public var description: String {
        var parts = ["\(title). \(valueLabel) for \(categories.count) items."]
        for group in groups {
            let listed = zip(categories, group.values).map { "\($0) \(String(format: "%.3g", $1))" }.joined(separator: ", ")
            parts.append("\(group.name): \(listed).")
        }
        return parts.joined(separator: " ")
    }
}

/// One-at-a-time swings around a central value, largest swing on top.
public struct TornadoChart: Sendable {
    public struct Bar: Sendable {
        public var name: String
        public var low: Double
        public var high: Double
        public init(name: String, low: Double, high: Double) { self.name = name; self.low = low; self.high = high }
        public var swing: Double { abs(high - low) }
    }

    public var title: String
    public var valueLabel: String
    public var central: Double
    public var bars: [Bar]
    public var lowName = "input at P5"
    public var highName = "input at P95"

    public init(title: String, valueLabel: String, central: Double, bars: [Bar]) {
        self.title = title
        self.valueLabel = valueLabel
        self.central = central
        self.bars = bars.sorted { $0.swing > $1.swing }
    }

    public func svg(width: Int = 720, standalone: Bool = true) -> String {
        let rowHeight = 24.0
        let labelWidth = min(220, 7 * Double(bars.map(\.name.count).max() ?? 10) + 16)
        let legendWidth = 130.0
        let top = 44.0, left = labelWidth + 12
        let height = Int(top + rowHeight * Double(bars.count) + 60)
        let right = Double(width) - legendWidth - 16, bottom = Double(height) - 52
        let values = (bars.flatMap { [$0.low, $0.high] } + [central]).filter(\.isFinite)
        let scale = NiceScale(minimum: values.min() ?? 0, maximum: values.max() ?? 1)
        func px(_ v: Double) -> Double { scale.map(v, from: left, to: right) }
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.add(text(title, x: Double(width) / 2, y: 24, size: 15, weight: "bold"))
        drawValueTicks(scale, position: px, top: top, bottom: bottom, into: &svg)
        for (b, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(b) + 5
            svg.add(text(bar.name, x: left - 8, y: y + 11, size: 11, anchor: "end"))
            for (value, colour) in [(bar.low, Palette.sky), (bar.high, Palette.orange)] where value.isFinite {
                let x0 = min(px(central), px(value)), w = abs(px(value) - px(central))
                svg.add("<rect x=\"\(coordinate(x0))\" y=\"\(coordinate(y))\" width=\"\(coordinate(w))\" height=\"14\" fill=\"\(colour)\"/>")
            }
        }
        svg.add("<line x1=\"\(coordinate(px(central)))\" y1=\"\(coordinate(top))\" x2=\"\(coordinate(px(central)))\" y2=\"\(coordinate(bottom))\" stroke=\"#222222\" stroke-width=\"1.5\"/>")
        svg.add(text(valueLabel, x: (left + right) / 2, y: bottom + 38, size: 12))
        var legend = Legend(x: right + 14, y: top + 4)
        legend.swatch(lowName, colour: Palette.sky, opacity: 1, into: &svg)
        legend.swatch(highName, colour: Palette.orange, opacity: 1, into: &svg)
        legend.line("central value", colour: "#222222", dashed: false, into: &svg)
        return svg.render(standalone: standalone)
    }

    public var description: String {
        let listed = bars.map { "\($0.name) from \(String(format: "%.4g", $0.low)) to \(String(format: "%.4g", $0.high))" }.joined(separator: "; ")
        return "\(title). \(valueLabel), central value \(String(format: "%.4g", central)). Largest swing first: \(listed)."
    }
}

/// Vertical gridlines and labels of a horizontal value axis.
func drawValueTicks(_ scale: NiceScale, position: (Double) -> Double, top: Double, bottom: Double, into svg: inout SVGDocument) {
    for tick in scale.ticks {
        let x = coordinate(position(tick))
        svg.add("<line x1=\"\(x)\" y1=\"\(coordinate(top))\" x2=\"\(x)\" y2=\"\(coordinate(bottom))\" stroke=\"#e3e3e3\"/>")
        svg.add(text(tickLabel(tick, step: scale.step), x: position(tick), y: bottom + 17, size: 11))
    }
}
