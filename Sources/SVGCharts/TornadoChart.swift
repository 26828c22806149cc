/// One-at-a-time sensitivity: for each input, the output with that input at its low and at its high
/// setting, as bars from the central value; the widest swing is drawn on top.
public struct TornadoChart: Sendable {
    /// One input: the output value when the input is at its low setting and at its high setting.
    public struct Entry: Sendable {
        public var label: String
        public var low: Double
        public var high: Double

        public init(label: String, low: Double, high: Double) {
            self.label = label
            self.low = low
            self.high = high
        }

        /// The width of the bar, |high − low|; non-finite when either end is.
        public var swing: Double { abs(high - low) }
    }

    public var title: String
    /// Title of the value axis (bottom), with its unit.
    public var valueLabel: String
    /// Title of the category axis (left).
    public var categoryLabel: String
    /// The output with every input at its central value; bars start here.
    public var baseline: Double
    public var entries: [Entry] = []
    public var lowLabel = "input at P5"
    public var highLabel = "input at P95"
    public var baselineLabel = "all inputs at central value"
    public var lowColour = Palette.blue
    public var highColour = Palette.orange
    /// A sentence or two for the text alternative, placed before the generated description.
    public var summary: String?
    /// Prefix of the element ids; set it when inlining several charts with the same title in one page.
    public var idPrefix: String?

    public init(title: String, valueLabel: String, baseline: Double, categoryLabel: String = "Input") {
        self.title = title
        self.valueLabel = valueLabel
        self.baseline = baseline
        self.categoryLabel = categoryLabel
    }

    /// Entries by decreasing swing (ties and entries without a finite swing keep their given order, the latter last).
    public var sortedEntries: [Entry] {
        entries.enumerated().sorted { a, b in
            let (swingA, swingB) = (a.element.swing, b.element.swing)
            switch (swingA.isFinite, swingB.isFinite) {
            case (true, true): return swingA != swingB ? swingA > swingB : a.offset < b.offset
            case (true, false): return true
            case (false, true): return false
            case (false, false): return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The chart as SVG text. Without a height, each input gets a row of fixed height.
    public func svg(width: Int = 720, height: Int? = nil, standalone: Bool = true) -> String {
        let sorted = sortedEntries
        let legendItems = [
            LegendItem(symbol: .swatch(lowColour, opacity: 1), label: lowLabel),
            LegendItem(symbol: .swatch(highColour, opacity: 1), label: highLabel),
            LegendItem(symbol: .line(Palette.black, dashed: false, width: 1.5), label: "\(baselineLabel) (\(NumberText.readable(baseline)))"),
        ]
        let layout = ChartLayout(
            width: Double(width), height: height.map(Double.init), plotHeight: Double(max(sorted.count, 1)) * 26,
            title: title, legendItems: legendItems)
        let axis = CategoryAxis(names: sorted.map(\.label), chartWidth: layout.width)
        let plot = layout.plotRect(left: ChartLayout.plotLeft(labelWidth: axis.labelWidth), rightReserve: 8)
        // Value labels sit beyond the bar ends, so the scale leaves that much room inside the plot on both sides.
        let endLabelRoom = (sorted.flatMap { [NumberText.readable($0.low), NumberText.readable($0.high)] }
            .map { TextMetrics.width($0, fontSize: Style.tickSize) }.max() ?? 0) + 8
        let scale = valueScale(plotWidth: plot.width - 2 * endLabelRoom)
        let map = LinearMap(
            domainLower: scale.lower, domainUpper: scale.upper, rangeStart: plot.minX + endLabelRoom, rangeEnd: plot.maxX - endLabelRoom)

        var body = SVGWriter()
        layout.drawTitle(into: &body)
        Axes.drawXTicks(into: &body, scale: scale, map: map, plot: plot)
        drawBars(sorted, into: &body, axis: axis, map: map, plot: plot)
        Axes.drawFrame(into: &body, plot: plot)
        drawBaseline(into: &body, map: map, plot: plot)
        axis.draw(into: &body, plot: plot)
        Axes.drawXLabel(into: &body, text: valueLabel, plot: plot, width: layout.width)
        Axes.drawYLabel(into: &body, text: categoryLabel, plot: plot)
        layout.drawLegend(into: &body)
        let prefix = SVGDocument.idPrefix(requested: idPrefix, seed: "tornado|" + title)
        return SVGDocument.render(
            width: layout.width, height: layout.height, standalone: standalone, idPrefix: prefix,
            title: title, description: description(sorted), body: body)
    }

    private func valueScale(plotWidth: Double) -> NiceScale {
        let values = entries.flatMap { [$0.low, $0.high] }.filter(\.isFinite) + [baseline].filter(\.isFinite)
        return Axes.horizontalScale(minimum: values.min() ?? 0, maximum: values.max() ?? 1, plotWidth: plotWidth, tight: false)
    }

    private func drawBars(_ sorted: [Entry], into writer: inout SVGWriter, axis: CategoryAxis, map: LinearMap, plot: PlotRect) {
        let row = axis.rowHeight(in: plot)
        let centre = map(baseline)
        writer.open("g", [("class", "bars")])
        for (index, entry) in sorted.enumerated() {
            let bar = BarGeometry(top: axis.rowTop(index, in: plot) + row * 0.15, thickness: row * 0.7, plot: plot)
            // The end further from the baseline is drawn first so a nearer end on the same side stays visible.
            let ends = [(entry.low, lowColour), (entry.high, highColour)]
                .filter { $0.0.isFinite }
                .sorted { abs($0.0 - baseline) > abs($1.0 - baseline) }
            for (value, colour) in ends {
                bar.drawBar(into: &writer, from: centre, to: map(value), colour: colour)
            }
            drawEndLabels(entry, into: &writer, middle: bar.top + bar.thickness / 2, map: map)
        }
        writer.close("g")
    }

    /// Each end's value just outside its bar, on the side away from the baseline; when both ends lie on
    /// the same side, the nearer one's label goes on the baseline's other side so the two never overlap.
    private func drawEndLabels(_ entry: Entry, into writer: inout SVGWriter, middle: Double, map: LinearMap) {
        let sameSide = (entry.low - baseline) * (entry.high - baseline) > 0
        let nearer = abs(entry.low - baseline) <= abs(entry.high - baseline) ? entry.low : entry.high
        writer.open("g", [("class", "end-labels"), ("font-size", NumberText.coordinate(Style.tickSize))])
        for value in [entry.low, entry.high] where value.isFinite {
            var rightward = value >= baseline
            var anchorX = map(value)
            if sameSide && value == nearer && entry.low != entry.high {
                rightward.toggle()
                anchorX = map(baseline)
            }
            writer.element("text", [
                ("x", NumberText.coordinate(anchorX + (rightward ? 4 : -4))), ("y", NumberText.coordinate(middle + Style.tickSize * 0.35)),
                ("text-anchor", rightward ? "start" : "end"),
            ], content: NumberText.readable(value))
            if entry.low == entry.high { break }
        }
        writer.close("g")
    }

    private func drawBaseline(into writer: inout SVGWriter, map: LinearMap, plot: PlotRect) {
        let x = map(baseline)
        guard x.isFinite && x >= plot.minX && x <= plot.maxX else { return }
        writer.empty("line", [
            ("class", "baseline"), ("x1", NumberText.coordinate(x)), ("y1", NumberText.coordinate(plot.minY)),
            ("x2", NumberText.coordinate(x)), ("y2", NumberText.coordinate(plot.maxY)), ("stroke", Palette.black.hex), ("stroke-width", "1.5"),
        ])
    }

    private func description(_ sorted: [Entry]) -> String {
        var sentences: [String] = []
        if let summary, !summary.isEmpty { sentences.append(summary) }
        sentences.append("Tornado chart of \(valueLabel) around \(baselineLabel) \(NumberText.readable(baseline)), "
            + "inputs ordered by swing, largest first.")
        for entry in sorted {
            sentences.append("\(entry.label): \(lowLabel) \(NumberText.readable(entry.low)), \(highLabel) \(NumberText.readable(entry.high)).")
        }
        return sentences.joined(separator: " ")
    }
}
