/// Horizontal grouped bars, one group per category in the given order, with optional intervals
/// (for example first-order and total Sobol' indices with their confidence intervals).
public struct BarChart: Sendable {
    /// One bar per category, with an optional interval drawn as an error bar across it.
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public var lower: [Double]?
        public var upper: [Double]?
        public var colour: Colour

        public init(name: String, values: [Double], lower: [Double]? = nil, upper: [Double]? = nil, colour: Colour) {
            self.name = name
            self.values = values
            self.lower = lower
            self.upper = upper
            self.colour = colour
        }
    }

    public var title: String
    /// Title of the category axis (left), e.g. "Parameter".
    public var categoryLabel: String
    /// Title of the value axis (bottom), with its unit.
    public var valueLabel: String
    /// Category names, drawn top to bottom in this order.
    public var categories: [String]
    public var series: [Series] = []
    /// A fixed value-axis range; bars beyond it are cut at the plot edge. Nil covers the data and zero.
    public var valueDomain: ClosedRange<Double>?
    /// A sentence or two for the text alternative, placed before the generated description.
    public var summary: String?
    /// Prefix of the element ids; set it when inlining several charts with the same title in one page.
    public var idPrefix: String?

    public init(title: String, categoryLabel: String, valueLabel: String, categories: [String] = []) {
        self.title = title
        self.categoryLabel = categoryLabel
        self.valueLabel = valueLabel
        self.categories = categories
    }

    /// Appends a series; without a colour it takes the next colour of `Palette.categorical`.
    public mutating func addSeries(name: String, values: [Double], lower: [Double]? = nil, upper: [Double]? = nil, colour: Colour? = nil) {
        series.append(Series(name: name, values: values, lower: lower, upper: upper, colour: colour ?? Palette.categorical(series.count)))
    }

    /// The chart as SVG text. Without a height, each category gets a row tall enough for its bars.
    public func svg(width: Int = 720, height: Int? = nil, standalone: Bool = true) -> String {
        let rowHeight = Double(max(series.count, 1)) * 13 + 12
        let layout = ChartLayout(
            width: Double(width), height: height.map(Double.init), plotHeight: Double(max(categories.count, 1)) * rowHeight,
            title: title, legendItems: series.map { LegendItem(symbol: .swatch($0.colour, opacity: 1), label: $0.name) })
        let axis = CategoryAxis(names: categories, chartWidth: layout.width)
        let plot = layout.plotRect(left: ChartLayout.plotLeft(labelWidth: axis.labelWidth), rightReserve: 12)
        let scale = valueScale(plotWidth: plot.width)
        let map = LinearMap(domainLower: scale.lower, domainUpper: scale.upper, rangeStart: plot.minX, rangeEnd: plot.maxX)

        var body = SVGWriter()
        layout.drawTitle(into: &body)
        Axes.drawXTicks(into: &body, scale: scale, map: map, plot: plot)
        drawBars(into: &body, axis: axis, map: map, plot: plot)
        Axes.drawFrame(into: &body, plot: plot)
        BarGeometry.drawZeroLine(into: &body, map: map, plot: plot)
        axis.draw(into: &body, plot: plot)
        Axes.drawXLabel(into: &body, text: valueLabel, plot: plot, width: layout.width)
        Axes.drawYLabel(into: &body, text: categoryLabel, plot: plot)
        layout.drawLegend(into: &body)
        let prefix = SVGDocument.idPrefix(requested: idPrefix, seed: "bar|" + title)
        return SVGDocument.render(
            width: layout.width, height: layout.height, standalone: standalone, idPrefix: prefix,
            title: title, description: description(scale: scale), body: body)
    }

    private func valueScale(plotWidth: Double) -> NiceScale {
        if let valueDomain {
            return Axes.horizontalScale(minimum: valueDomain.lowerBound, maximum: valueDomain.upperBound, plotWidth: plotWidth, tight: true)
        }
        var values = series.flatMap { $0.values.prefix(categories.count) }
        for entry in series {
            values += entry.lower.map { Array($0.prefix(categories.count)) } ?? []
            values += entry.upper.map { Array($0.prefix(categories.count)) } ?? []
        }
        let finite = values.filter(\.isFinite) + [0]
        return Axes.horizontalScale(minimum: finite.min() ?? 0, maximum: finite.max() ?? 1, plotWidth: plotWidth, tight: false)
    }

    private func drawBars(into writer: inout SVGWriter, axis: CategoryAxis, map: LinearMap, plot: PlotRect) {
        let row = axis.rowHeight(in: plot)
        let thickness = row * 0.78 / Double(max(series.count, 1))
        writer.open("g", [("class", "bars")])
        for (categoryIndex, _) in categories.enumerated() {
            let groupTop = axis.rowTop(categoryIndex, in: plot) + row * 0.11
            for (seriesIndex, entry) in series.enumerated() where categoryIndex < entry.values.count {
                let top = groupTop + Double(seriesIndex) * thickness
                let bar = BarGeometry(top: top, thickness: thickness, plot: plot)
                bar.drawBar(into: &writer, from: map(0), to: map(entry.values[categoryIndex]), colour: entry.colour)
                if let lower = entry.lower, let upper = entry.upper, categoryIndex < lower.count, categoryIndex < upper.count,
                   lower[categoryIndex].isFinite, upper[categoryIndex].isFinite {
                    bar.drawInterval(into: &writer, from: map(lower[categoryIndex]), to: map(upper[categoryIndex]))
                }
            }
        }
        writer.close("g")
    }

    private func description(scale: NiceScale) -> String {
        var sentences: [String] = []
        if let summary, !summary.isEmpty { sentences.append(summary) }
        sentences.append("Horizontal bar chart of \(valueLabel) (axis \(NumberText.readable(scale.lower)) to \(NumberText.readable(scale.upper))) "
            + "for each \(categoryLabel); series: " + series.map(\.name).joined(separator: ", ") + ".")
        for (index, category) in categories.enumerated() {
            let parts = series.compactMap { entry -> String? in
                guard index < entry.values.count else { return nil }
                var text = "\(entry.name) \(NumberText.readable(entry.values[index]))"
                if let lower = entry.lower, let upper = entry.upper, index < lower.count, index < upper.count,
                   lower[index].isFinite, upper[index].isFinite {
                    text += " (\(NumberText.readable(lower[index])) to \(NumberText.readable(upper[index])))"
                }
                return text
            }
            sentences.append("\(category): " + parts.joined(separator: ", ") + ".")
        }
        return sentences.joined(separator: " ")
    }
}
